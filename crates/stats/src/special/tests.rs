use super::*;
use crate::testutil::assert_rel;

#[test]
fn beta_reg_matches_scipy() {
    for &(a, b, x, want) in BETA_REG_REF {
        assert_rel(beta_reg(a, b, x), want, 1e-12, &format!("I_{x}({a}, {b})"));
    }
}

#[test]
fn inv_beta_reg_matches_scipy() {
    for &(a, b, p, want) in INV_BETA_REF {
        assert_rel(inv_beta_reg(a, b, p), want, 1e-12, &format!("I⁻¹_{p}({a}, {b})"));
    }
}

#[test]
fn hypergeom_matches_scipy() {
    for &(k, total, good, draws, want) in HYPERGEOM_REF {
        let got = ln_hypergeom_pmf(k, total, good, draws);
        assert_rel(got, want, 1e-12, &format!("ln hypergeom({k}; {total}, {good}, {draws})"));
    }
}

#[test]
fn hypergeom_outside_support_is_impossible() {
    assert_eq!(ln_hypergeom_pmf(6, 20, 5, 8), f64::NEG_INFINITY);
    assert_eq!(ln_hypergeom_pmf(0, 10, 3, 9), f64::NEG_INFINITY);
    // The pmf sums to one over the support.
    let total: f64 = (0..=5).map(|k| ln_hypergeom_pmf(k, 20, 5, 8).exp()).sum();
    assert!((total - 1.0).abs() < 1e-14, "{total}");
}

#[test]
fn trigamma_matches_scipy() {
    for &(x, want) in TRIGAMMA_REF {
        assert_rel(trigamma(x), want, 1e-13, &format!("trigamma({x})"));
    }
}

#[test]
fn statrs_digamma_matches_scipy() {
    for &(x, want) in DIGAMMA_REF {
        let got = statrs::function::gamma::digamma(x);
        assert_rel(got, want, 1e-13, &format!("digamma({x})"));
    }
}

#[test]
fn normal_p_matches_scipy() {
    for &(z, want) in NORMAL_P_REF {
        assert_rel(normal_two_sided_p(z), want, 1e-12, &format!("p({z})"));
    }
}

#[test]
fn chi2_1_matches_scipy() {
    for &(x, want) in CHI2_1_REF {
        assert_rel(chi2_1_sf(x), want, 1e-12, &format!("chi2_1 sf({x})"));
    }
}

// reference-table begin: special.beta_reg (tests/reference/special.py)
/// (a, b, x, scipy.special.betainc(a, b, x))
const BETA_REG_REF: &[(f64, f64, f64, f64)] = &[
    (0.5, 0.5, 0.3, 0.36901011956554536),
    (2.5, 7.0, 0.9, 0.9999984479014957),
    (1.0, 1000000.0, 1e-06, 0.632120742768355),
    (3.0, 598.0, 0.004, 0.43050057959503174),
    (1000.0, 2000.0, 0.33, 0.3506326761341843),
    (20.0, 3.0, 0.999, 0.9999984817877395),
    (500000.0, 500001.0, 0.5005, 0.8415867166720655),
    (185.0, 415.0, 0.3, 0.33258775855552414),
    (7.0, 1.0, 0.2, 1.2800000000000005e-05),
    (0.001, 2.0, 0.5, 0.9998067465369478),
];
// reference-table end: special.beta_reg

// reference-table begin: special.inv_beta_reg (tests/reference/special.py)
/// (a, b, p, scipy.special.betaincinv(a, b, p))
const INV_BETA_REF: &[(f64, f64, f64, f64)] = &[
    (1.0, 10.0, 0.025, 0.0025285785444617848),
    (3.0, 8.0, 0.025, 0.06673951117773447),
    (4.0, 7.0, 0.975, 0.6524528500599973),
    (185.0, 415.0, 0.025, 0.27203450213755687),
    (186.0, 414.0, 0.975, 0.34755890785221366),
    (1.0, 599.0, 0.025, 4.2265898064399115e-05),
    (2.0, 598.0, 0.975, 0.009266157071662263),
    (500000.0, 500001.0, 0.025, 0.49901951919531184),
    (500001.0, 500000.0, 0.975, 0.5009804808046882),
    (0.5, 0.5, 0.5, 0.4999999999999999),
    (12.0, 18.0, 0.005, 0.19230728461446664),
    (1.0, 1000000.0, 0.995, 5.298303330489366e-06),
];
// reference-table end: special.inv_beta_reg

// reference-table begin: special.hypergeom (tests/reference/special.py)
/// (k, total, good, draws, ln pmf) in 50-digit mpmath arithmetic (scipy's pmf is ~1e-10 off
/// on the 10⁶ tables; fisher.py compares the p-values with scipy itself)
const HYPERGEOM_REF: &[(u64, u64, u64, u64, f64)] = &[
    (1, 20, 5, 8, -1.3648540298820213),
    (3, 20, 5, 8, -1.4338469013689727),
    (0, 10, 3, 3, -1.2321436812926323),
    (40, 200, 100, 90, -3.182166976106912),
    (5000, 1000000, 20000, 250000, -5.023610801953288),
    (4900, 1000000, 20000, 250000, -6.383505643914543),
    (12, 1500, 40, 300, -3.1332671567442247),
    (2, 6, 3, 3, -0.7985076962177716),
];
// reference-table end: special.hypergeom

// reference-table begin: special.trigamma (tests/reference/special.py)
/// (x, scipy.special.polygamma(1, x))
const TRIGAMMA_REF: &[(f64, f64)] = &[
    (0.01, 10001.621213528311),
    (0.5, 4.93480220054468),
    (1.0, 1.6449340668482266),
    (2.5, 0.4903577561002349),
    (7.0, 0.15354517795933756),
    (19.5, 0.05261944121365593),
    (20.0, 0.051270822935203124),
    (123.4, 0.008136651610865263),
    (1000000.0, 1.0000005000001667e-06),
];
// reference-table end: special.trigamma

// reference-table begin: special.digamma (tests/reference/special.py)
/// (x, scipy.special.digamma(x)); statrs' digamma is what the crate uses
const DIGAMMA_REF: &[(f64, f64)] = &[
    (0.01, -100.56088545786868),
    (0.5, -1.9635100260214235),
    (1.0, -0.5772156649015329),
    (2.5, 0.7031566406452432),
    (13.0, 2.5259950133091453),
    (10000.0, 9.21029037114285),
];
// reference-table end: special.digamma

// reference-table begin: special.normal_p (tests/reference/special.py)
/// (z, 2 * scipy.stats.norm.sf(abs(z)))
const NORMAL_P_REF: &[(f64, f64)] = &[
    (0.0, 1.0),
    (0.5, 0.6170750774519738),
    (1.959963984540054, 0.05),
    (-2.5, 0.012419330651552265),
    (5.0, 5.733031437583866e-07),
    (8.5, 1.89590696444065e-17),
    (20.0, 5.507248237212311e-89),
];
// reference-table end: special.normal_p

// reference-table begin: special.chi2_1 (tests/reference/special.py)
/// (x, scipy.stats.chi2.sf(x, 1))
const CHI2_1_REF: &[(f64, f64)] = &[
    (0.0, 1.0),
    (0.1, 0.7518296340458492),
    (1.0, 0.31731050786291115),
    (3.841458820694124, 0.04999999999999989),
    (10.0, 0.001565402258002549),
    (50.0, 1.537459794428033e-12),
];
// reference-table end: special.chi2_1

