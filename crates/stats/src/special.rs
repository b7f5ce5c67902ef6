//! Special functions the crate needs beyond statrs, written for accuracy on large arguments.
//!
//! * Binomial and hypergeometric log-probabilities use Loader's saddle-point method ("Fast and
//!   accurate computation of binomial probabilities", 2000; the algorithm of R's `dbinom`/`dhyper`):
//!   `stirlerr` and `bd0` avoid the cancellation of `ln Γ` differences, so tables with millions of
//!   observations keep full relative precision.
//! * The regularised incomplete beta function uses the classic continued fraction (modified
//!   Lentz) with Loader's prefactor and no small iteration cap (statrs stops after 140 terms, too
//!   few when `a` and `b` are ~10⁶); its inverse is a bracketed Newton iteration.
//! * `trigamma` uses the recurrence up to x ≥ 20 and the asymptotic series.
//!
//! Checked against scipy by `tests/reference/special.py`.


/// Stirling-formula error: ln Γ(n + 1) − [(n + ½) ln n − n + ln √(2π)], for n > 0.
///
/// Above 15 the asymptotic series (as R's `stirlerr`); below, the exact recurrence
/// stirlerr(n) = stirlerr(n + 1) + (n + ½)·ln(1 + 1/n) − 1, whose terms are small, so the result
/// keeps ~1e-16 absolute precision without a table of constants.
pub(crate) fn stirlerr(n: f64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    let mut n = n;
    let mut acc = 0.0;
    while n <= 15.0 {
        acc += (n + 0.5) * (1.0 / n).ln_1p() - 1.0;
        n += 1.0;
    }
    let nn = n * n;
    let series = if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    };
    acc + series
}

/// Deviance term bd0(x, m) = x ln(x/m) + m − x, computed without cancellation when x ≈ m.
pub(crate) fn bd0(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        let mut v = (x - m) / (x + m);
        let mut s = (x - m) * v;
        if s.abs() < f64::MIN_POSITIVE {
            return s;
        }
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let s1 = s + ej / f64::from(2 * j + 1);
            if s1 == s {
                return s1;
            }
            s = s1;
        }
        return s;
    }
    x * (x / m).ln() + m - x
}

/// ln of the binomial probability of `x` successes and `m` failures (n = x + m trials) with
/// success probability `p` (`q` = 1 − p passed separately to keep precision). `x` and `m` may be
/// non-integer (this is also the kernel of the incomplete-beta prefactor); passing the failures
/// rather than n avoids the cancellation of n − x. Returns −∞ outside the support.
pub(crate) fn ln_binom_kernel(x: f64, m: f64, p: f64, q: f64) -> f64 {
    if x < 0.0 || m < 0.0 {
        return f64::NEG_INFINITY;
    }
    let n = x + m;
    if p == 0.0 {
        return if x == 0.0 { 0.0 } else { f64::NEG_INFINITY };
    }
    if q == 0.0 {
        return if m == 0.0 { 0.0 } else { f64::NEG_INFINITY };
    }
    if x == 0.0 {
        if m == 0.0 {
            return 0.0;
        }
        return if p < 0.1 { -bd0(n, n * q) - n * p } else { n * q.ln() };
    }
    if m == 0.0 {
        return if q < 0.1 { -bd0(n, n * p) - n * q } else { n * p.ln() };
    }
    let lc = stirlerr(n) - stirlerr(x) - stirlerr(m) - bd0(x, n * p) - bd0(m, n * q);
    // ln(2π x m / n)
    let lf = (2.0 * std::f64::consts::PI).ln() + x.ln() + m.ln() - n.ln();
    lc - 0.5 * lf
}

/// ln P(X = k) for X ~ Hypergeometric: `draws` items drawn without replacement from `total`
/// items of which `good` are marked; k marked items drawn. −∞ outside the support.
pub(crate) fn ln_hypergeom_pmf(k: u64, total: u64, good: u64, draws: u64) -> f64 {
    let bad = total - good;
    if k > good || k > draws || draws - k > bad {
        return f64::NEG_INFINITY;
    }
    if draws == 0 || draws == total {
        // Everything or nothing drawn: one table only.
        return 0.0;
    }
    let (k, good, bad, draws, total) = (k as f64, good as f64, bad as f64, draws as f64, total as f64);
    let p = draws / total;
    let q = (total - draws) / total;
    ln_binom_kernel(k, good - k, p, q) + ln_binom_kernel(draws - k, bad - (draws - k), p, q)
        - ln_binom_kernel(draws, total - draws, p, q)
}

/// Continued fraction for the incomplete beta function (modified Lentz); `y` = 1 − x.
fn beta_cf(a: f64, b: f64, x: f64, y: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    // 1 − (a + b)x/(a + 1), rewritten as ((a + 1)y − (b − 1)x)/(a + 1) so that it keeps its
    // precision when it is small (x near 1, b near 1).
    let mut d = (qap * y - (b - 1.0) * x) / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    // Convergence needs O(√max(a, b)) terms; the cap only guards against a pathological input.
    let cap = 1000 + 20 * (a.max(b).sqrt() as usize);
    for m in 1..=cap {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= EPS {
            break;
        }
    }
    h
}

/// x^a y^b / B(a, b) with y = 1 − x given separately (so the smaller of x and 1 − x keeps its
/// relative precision), through the binomial kernel for precision with large a, b.
fn beta_front(a: f64, b: f64, x: f64, y: f64) -> f64 {
    ln_binom_kernel(a, b, x, y).exp() * a * b / (a + b)
}

/// Regularised incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1].
pub(crate) fn beta_reg(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let y = 1.0 - x;
    if x < (a + 1.0) / (a + b + 2.0) {
        beta_front(a, b, x, y) * beta_cf(a, b, x, y) / a
    } else {
        1.0 - beta_front(b, a, y, x) * beta_cf(b, a, y, x) / b
    }
}

/// Inverse of the regularised incomplete beta function in x: the `p`-quantile of Beta(a, b).
/// Bracketed Newton on [0, 1]; bisection whenever a Newton step leaves the bracket.
pub(crate) fn inv_beta_reg(a: f64, b: f64, p: f64) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    let mut x = a / (a + b);
    for _ in 0..400 {
        let f = beta_reg(a, b, x) - p;
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        // Density of Beta(a, b) at x.
        let pdf = beta_front(a, b, x, 1.0 - x) / (x * (1.0 - x));
        let mut next = x - f / pdf;
        if pdf.is_nan() || pdf <= 0.0 || !next.is_finite() || next <= lo || next >= hi {
            next = 0.5 * (lo + hi);
        }
        if (next - x).abs() <= 4.0 * f64::EPSILON * x.min(1.0 - x).max(f64::MIN_POSITIVE)
            || hi - lo <= f64::EPSILON * lo.max(f64::MIN_POSITIVE)
        {
            return next;
        }
        x = next;
    }
    x
}

/// Trigamma function ψ'(x) for x > 0.
pub(crate) fn trigamma(x: f64) -> f64 {
    let mut x = x;
    let mut acc = 0.0;
    while x < 20.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let r = 1.0 / x;
    let r2 = r * r;
    // 1/x + 1/(2x²) + Σ B₂ₖ / x^(2k+1), Bernoulli numbers 1/6, −1/30, 1/42, −1/30, 5/66.
    let series = r
        + 0.5 * r2
        + r * r2
            * (1.0 / 6.0
                + r2 * (-1.0 / 30.0 + r2 * (1.0 / 42.0 + r2 * (-1.0 / 30.0 + r2 * (5.0 / 66.0)))));
    acc + series
}

/// Complementary error function, to full double precision (statrs' `erfc` is ~1e-11 relative
/// here, too coarse for p-values compared with scipy). erfc(x) = Q(½, x²), the regularised upper
/// incomplete gamma function: the all-positive series for erf when x² < 1.5, the Legendre
/// continued fraction (modified Lentz) above.
pub(crate) fn erfc(x: f64) -> f64 {
    const FRAC_1_SQRT_PI: f64 = 0.564_189_583_547_756_3;
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    let z = x * x;
    if z < 1.5 {
        // erf(x) = 2/√π · e^{−x²} · Σ (2x²)ⁿ x / (2n + 1)!!
        let mut term = x;
        let mut sum = x;
        for k in 1..200 {
            term *= 2.0 * z / f64::from(2 * k + 1);
            sum += term;
            if term < sum * 1e-17 {
                break;
            }
        }
        return 1.0 - 2.0 * FRAC_1_SQRT_PI * (-z).exp() * sum;
    }
    if z > 750.0 {
        return 0.0;
    }
    const TINY: f64 = 1e-300;
    let a = 0.5;
    let mut b = z + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..500 {
        let i = f64::from(i);
        let an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-z).exp() * x * FRAC_1_SQRT_PI * h
}

/// Two-sided normal tail probability 2·(1 − Φ(|z|)), as `2 * scipy.stats.norm.sf(abs(z))`.
pub(crate) fn normal_two_sided_p(z: f64) -> f64 {
    2.0 * (0.5 * erfc(z.abs() / std::f64::consts::SQRT_2))
}

/// Upper tail of χ² with one degree of freedom: P(χ²₁ > x) = erfc(√(x/2)).
pub(crate) fn chi2_1_sf(x: f64) -> f64 {
    if x <= 0.0 { 1.0 } else { erfc((x / 2.0).sqrt()) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests;
