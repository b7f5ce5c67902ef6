use super::*;
use crate::testutil::{assert_close, assert_rel};

struct NbCase {
    name: &'static str,
    y: &'static [f64],
    x: &'static [&'static [f64]],
    params: &'static [f64],
    bse: &'static [f64],
    p_values: &'static [f64],
    alpha: f64,
    alpha_bse: f64,
    llf: f64,
    lr: f64,
    lr_p: f64,
}

/// Relative tolerance. The brief allows 1e-4 for NB; both fits run to full convergence and agree
/// to better than 1e-8, so 1e-6 leaves room for platform rounding and still catches a wrong
/// parametrisation of the standard errors (α vs ln α differ by a factor α).
const TOL: f64 = 1e-6;

#[test]
fn nb2_matches_statsmodels() {
    for c in NB_REF {
        let fit = negbin_nb2(c.y, c.x).unwrap();
        assert!(!fit.alpha_at_boundary, "{}", c.name);
        for j in 0..c.params.len() {
            let what = format!("{} column {j}", c.name);
            assert_close(fit.params[j], c.params[j], TOL, 1.0, &format!("{what} param"));
            assert_rel(fit.bse[j], c.bse[j], TOL, &format!("{what} bse"));
            assert_close(fit.p_values[j], c.p_values[j], TOL, c.p_values[j].max(1e-300), &format!("{what} p"));
        }
        assert_rel(fit.alpha, c.alpha, TOL, &format!("{} alpha", c.name));
        assert_rel(fit.alpha_bse.unwrap(), c.alpha_bse, TOL, &format!("{} alpha bse", c.name));
        assert_close(fit.llf, c.llf, TOL, 1.0, &format!("{} llf", c.name));
    }
}

#[test]
fn overdispersion_test_matches_statsmodels_llfs() {
    for c in NB_REF {
        let t = overdispersion_test(c.y, c.x).unwrap();
        assert_close(t.statistic, c.lr, TOL, 1.0, &format!("{} lr", c.name));
        assert_close(t.p_value, c.lr_p, TOL, c.lr_p.max(1e-300), &format!("{} lr p", c.name));
        assert!(t.p_value <= 0.5, "{}: a positive statistic has p ≤ ½", c.name);
    }
}

#[test]
fn nb2_trend_matches_statsmodels() {
    for &(name, irr, p) in NB_TREND_REF {
        let c = NB_REF.iter().find(|c| c.name == name).unwrap();
        let t: Vec<f64> = c.x.iter().map(|r| r[1]).collect();
        let fit = nb2_trend(c.y, &t).unwrap();
        assert!(matches!(fit.model, CountModel::NegativeBinomial { alpha } if (alpha - c.alpha).abs() < 1e-6 * c.alpha));
        assert_rel(fit.irr.estimate, irr[0], TOL, "irr");
        assert_rel(fit.irr.low, irr[1], TOL, "irr low");
        assert_rel(fit.irr.high, irr[2], TOL, "irr high");
        assert_rel(fit.p_value, p, TOL, "p");
    }
}

#[test]
fn equidispersed_data_put_alpha_on_the_boundary() {
    // A perfect fit and an underdispersed series: the likelihood rises all the way to α = 0.
    let t: Vec<f64> = (0..8).map(f64::from).collect();
    for y in [[5.0; 8], [4.0, 5.0, 5.0, 6.0, 5.0, 6.0, 6.0, 7.0]] {
        let nb = negbin_nb2(&y, &t.iter().map(|&t| [1.0, t]).collect::<Vec<_>>()).unwrap();
        assert!(nb.alpha_at_boundary && nb.alpha == 0.0 && nb.alpha_bse.is_none(), "{nb:?}");
        let pois = poisson_trend_fit(&y, &t);
        assert_eq!(nb.params, pois.params);
        assert!(nb.bse.iter().all(|b| b.is_finite()));
        let od = overdispersion_test(&y, &t.iter().map(|&t| [1.0, t]).collect::<Vec<_>>()).unwrap();
        assert_eq!((od.statistic, od.p_value), (0.0, 1.0));
        let trend = nb2_trend(&y, &t).unwrap();
        assert_eq!(trend.model, CountModel::NegativeBinomial { alpha: 0.0 });
    }
}

fn poisson_trend_fit(y: &[f64], t: &[f64]) -> crate::PoissonFit {
    crate::poisson_glm(y, &t.iter().map(|&t| [1.0, t]).collect::<Vec<_>>()).unwrap()
}

#[test]
fn degenerate_series_are_errors_not_nan() {
    let t: Vec<f64> = (2000..2024).map(f64::from).collect();
    assert!(matches!(nb2_trend(&[0.0; 24], &t), Err(StatsError::AllZero(_))));
    assert!(matches!(nb2_trend(&[1.0, 2.0], &[0.0, 1.0]), Err(StatsError::TooFewObservations { .. })));
    assert!(matches!(
        nb2_trend(&[0.0, 0.0, 0.0, 0.0, 9.0], &[0.0, 1.0, 2.0, 3.0, 4.0]),
        Err(StatsError::NoFiniteEstimate { .. })
    ));
    // Three points: a fit, with finite numbers or an error, never NaN.
    match nb2_trend(&[2.0, 5.0, 9.0], &[2021.0, 2022.0, 2023.0]) {
        Ok(fit) => assert!(fit.slope.is_finite() && fit.se_slope.is_finite() && fit.p_value.is_finite()),
        Err(e) => assert!(matches!(e, StatsError::NoFiniteEstimate { .. } | StatsError::NotConverged { .. })),
    }
}

#[test]
fn non_integer_counts_use_the_special_function_path() {
    // y_sums' two branches agree where both apply.
    for &(y, alpha) in &[(3.0, 0.4), (17.0, 0.01), (1.0, 2.5), (40.0, 1e-6)] {
        let (a, b, c) = y_sums(y, alpha);
        let theta = 1.0 / alpha;
        let a2 = ln_gamma(y + theta) - ln_gamma(theta) - y * theta.ln();
        let b2 = theta * (digamma(y + theta) - digamma(theta));
        let c2 = theta * theta * (trigamma(theta) - trigamma(y + theta));
        assert!((a - a2).abs() < 1e-8 * (1.0 + a.abs()), "{y} {alpha}: {a} {a2}");
        assert!((b - b2).abs() < 1e-8 * (1.0 + b.abs()), "{y} {alpha}: {b} {b2}");
        assert!((c - c2).abs() < 1e-6 * (1.0 + c.abs()), "{y} {alpha}: {c} {c2}");
    }
}

// reference-table begin: negbin.fit (tests/reference/negbin.py)
/// statsmodels `NegativeBinomial(y, X, loglike_method="nb2").fit(method="newton")`;
/// lr = 2 (llf_nb − llf of the Poisson GLM), lr_p = chi2.sf(lr, 1) / 2
const NB_REF: &[NbCase] = &[
    NbCase {
        name: "overdispersed_raw_years",
        y: &[2.0, 2.0, 2.0, 5.0, 0.0, 4.0, 7.0, 1.0, 0.0, 3.0, 4.0, 4.0, 10.0, 11.0, 3.0, 9.0, 9.0, 2.0, 2.0, 16.0, 4.0, 19.0, 27.0, 10.0],
        x: &[&[1.0, 2000.0], &[1.0, 2001.0], &[1.0, 2002.0], &[1.0, 2003.0], &[1.0, 2004.0], &[1.0, 2005.0], &[1.0, 2006.0], &[1.0, 2007.0], &[1.0, 2008.0], &[1.0, 2009.0], &[1.0, 2010.0], &[1.0, 2011.0], &[1.0, 2012.0], &[1.0, 2013.0], &[1.0, 2014.0], &[1.0, 2015.0], &[1.0, 2016.0], &[1.0, 2017.0], &[1.0, 2018.0], &[1.0, 2019.0], &[1.0, 2020.0], &[1.0, 2021.0], &[1.0, 2022.0], &[1.0, 2023.0]],
        params: &[-184.86934573933857, 0.09273418477824291],
        bse: &[43.37038887535459, 0.021543275689824164],
        p_values: &[2.0208859552653338e-05, 1.6732278459908803e-05],
        alpha: 0.31998492287269514,
        alpha_bse: 0.15133970213331466,
        llf: -63.30047620792902,
        lr: 21.119933921176596,
        lr_p: 2.1570847406237447e-06,
    },
    NbCase {
        name: "overdispersed_centred",
        y: &[2.0, 2.0, 2.0, 5.0, 0.0, 4.0, 7.0, 1.0, 0.0, 3.0, 4.0, 4.0, 10.0, 11.0, 3.0, 9.0, 9.0, 2.0, 2.0, 16.0, 4.0, 19.0, 27.0, 10.0],
        x: &[&[1.0, 0.0], &[1.0, 1.0], &[1.0, 2.0], &[1.0, 3.0], &[1.0, 4.0], &[1.0, 5.0], &[1.0, 6.0], &[1.0, 7.0], &[1.0, 8.0], &[1.0, 9.0], &[1.0, 10.0], &[1.0, 11.0], &[1.0, 12.0], &[1.0, 13.0], &[1.0, 14.0], &[1.0, 15.0], &[1.0, 16.0], &[1.0, 17.0], &[1.0, 18.0], &[1.0, 19.0], &[1.0, 20.0], &[1.0, 21.0], &[1.0, 22.0], &[1.0, 23.0]],
        params: &[0.5990238171472433, 0.09273418477824306],
        bse: &[0.31942754636287674, 0.0215432756900254],
        p_values: &[0.0607508868159856, 1.6732278462947062e-05],
        alpha: 0.31998492287269714,
        alpha_bse: 0.15133970213331602,
        llf: -63.30047620792914,
        lr: 21.119933921176255,
        lr_p: 2.1570847406241326e-06,
    },
    NbCase {
        name: "flat_overdispersed",
        y: &[4.0, 11.0, 2.0, 38.0, 5.0, 0.0, 0.0, 12.0, 6.0, 2.0, 31.0, 5.0, 8.0, 20.0, 1.0, 15.0, 8.0, 6.0, 7.0, 1.0, 2.0, 22.0, 11.0, 3.0],
        x: &[&[1.0, 0.0], &[1.0, 1.0], &[1.0, 2.0], &[1.0, 3.0], &[1.0, 4.0], &[1.0, 5.0], &[1.0, 6.0], &[1.0, 7.0], &[1.0, 8.0], &[1.0, 9.0], &[1.0, 10.0], &[1.0, 11.0], &[1.0, 12.0], &[1.0, 13.0], &[1.0, 14.0], &[1.0, 15.0], &[1.0, 16.0], &[1.0, 17.0], &[1.0, 18.0], &[1.0, 19.0], &[1.0, 20.0], &[1.0, 21.0], &[1.0, 22.0], &[1.0, 23.0]],
        params: &[2.308890236419568, -0.008249873279489655],
        bse: &[0.41739753795414625, 0.031360513526867646],
        p_values: &[3.1726212009317055e-08, 0.7924999936798373],
        alpha: 0.9710566223664491,
        alpha_bse: 0.3094118140377085,
        llf: -78.3997652674172,
        lr: 136.24519646754197,
        lr_p: 8.817588795482672e-32,
    },
    NbCase {
        name: "rising_near_poisson",
        y: &[2.0, 1.0, 3.0, 2.0, 4.0, 2.0, 2.0, 2.0, 3.0, 4.0, 7.0, 6.0, 5.0, 16.0, 9.0, 14.0, 8.0, 17.0, 14.0, 18.0, 19.0, 19.0, 30.0, 18.0],
        x: &[&[1.0, 0.0], &[1.0, 1.0], &[1.0, 2.0], &[1.0, 3.0], &[1.0, 4.0], &[1.0, 5.0], &[1.0, 6.0], &[1.0, 7.0], &[1.0, 8.0], &[1.0, 9.0], &[1.0, 10.0], &[1.0, 11.0], &[1.0, 12.0], &[1.0, 13.0], &[1.0, 14.0], &[1.0, 15.0], &[1.0, 16.0], &[1.0, 17.0], &[1.0, 18.0], &[1.0, 19.0], &[1.0, 20.0], &[1.0, 21.0], &[1.0, 22.0], &[1.0, 23.0]],
        params: &[0.5303750617381937, 0.12030741467843573],
        bse: &[0.21074181054075872, 0.012224188404936049],
        p_values: &[0.011845781643208042, 7.44046605280772e-23],
        alpha: 0.005950194383312977,
        alpha_bse: 0.024961104919070984,
        llf: -54.68195954166825,
        lr: 0.06533624917139491,
        lr_p: 0.39912616637059867,
    },
    NbCase {
        name: "three_columns",
        y: &[2.0, 2.0, 2.0, 5.0, 0.0, 4.0, 7.0, 1.0, 0.0, 3.0, 4.0, 4.0, 10.0, 11.0, 3.0, 9.0, 9.0, 2.0, 2.0, 16.0, 4.0, 19.0, 27.0, 10.0],
        x: &[&[1.0, 0.0, 0.0], &[1.0, 1.0, 0.0], &[1.0, 2.0, 0.0], &[1.0, 3.0, 0.0], &[1.0, 4.0, 0.0], &[1.0, 5.0, 0.0], &[1.0, 6.0, 0.0], &[1.0, 7.0, 0.0], &[1.0, 8.0, 0.0], &[1.0, 9.0, 0.0], &[1.0, 10.0, 0.0], &[1.0, 11.0, 0.0], &[1.0, 12.0, 0.0], &[1.0, 13.0, 0.0], &[1.0, 14.0, 0.0], &[1.0, 15.0, 1.0], &[1.0, 16.0, 1.0], &[1.0, 17.0, 1.0], &[1.0, 18.0, 1.0], &[1.0, 19.0, 1.0], &[1.0, 20.0, 1.0], &[1.0, 21.0, 1.0], &[1.0, 22.0, 1.0], &[1.0, 23.0, 1.0]],
        params: &[0.5373801183508817, 0.10356024642863752, -0.17491642091979476],
        bse: &[0.3736349607713039, 0.04032639731834772, 0.5507709244561436],
        p_values: &[0.15036340935965642, 0.010227209736564151, 0.7507999784759273],
        alpha: 0.31609111654619787,
        alpha_bse: 0.1507537498686551,
        llf: -63.25021769667538,
        lr: 20.46052612982851,
        lr_p: 3.0436919720387533e-06,
    },
];
// reference-table end: negbin.fit

// reference-table begin: negbin.trend (tests/reference/negbin.py)
/// NB2 trend on [1, year]: (name, irr, low, high, slope p-value)
const NB_TREND_REF: &[(&str, [f64; 3], f64)] = &[
    ("overdispersed_raw_years", [1.0971700520021952, 1.0518075289628726, 1.1444889771776787], 1.6732278459908803e-05),
];
// reference-table end: negbin.trend
