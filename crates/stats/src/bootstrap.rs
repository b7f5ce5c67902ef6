//! Seeded, reproducible percentile bootstrap for shares over resampled incidents.
//!
//! A resample draws n incidents with replacement from the n incidents of the slice; the share of
//! a key is the number of drawn incidents carrying it divided by n (multi-label counting: an
//! incident counts once per distinct key, so shares may sum to more than 1). The interval is the
//! percentile interval: the α/2 and 1 − α/2 quantiles of the resampled shares, with the linear
//! interpolation between order statistics of `numpy.percentile`'s default.
//!
//! For a single key the resampled count is exactly Binomial(n, x/n), so
//! [`bootstrap_binomial`] draws binomials (O(resamples · √n) work, independent of how many rows
//! the slice has). [`bootstrap_multilabel`] resamples the incidents themselves (O(resamples ·
//! labels)), for all keys of a multi-label slice at once. Both use `ChaCha8Rng::seed_from_u64`, so
//! a seed reproduces an interval on every platform; the result reports the seed and the number
//! of resamples. The two functions consume the random stream differently, so they agree in
//! distribution, not draw for draw.
//!
//! Known limits of the percentile bootstrap: at x = 0 or x = n every resample gives the same
//! share and the interval collapses to a point; use Wilson or Clopper–Pearson for small counts.

use std::collections::{BTreeMap, BTreeSet};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::interval::check_level;
use crate::special::{beta_reg, ln_binom_kernel};
use crate::{Interval, StatsError};

/// A percentile-bootstrap interval with what is needed to reproduce it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapInterval {
    pub interval: Interval,
    pub resamples: u32,
    pub seed: u64,
}

/// Bootstrap interval for a share `count / n` of a single key (see the module documentation).
pub fn bootstrap_binomial(
    count: u64,
    n: u64,
    level: f64,
    resamples: u32,
    seed: u64,
) -> Result<BootstrapInterval, StatsError> {
    check_level(level)?;
    check_resamples(resamples)?;
    if count > n {
        return Err(StatsError::CountExceedsN { count, n });
    }
    if n == 0 {
        return Err(StatsError::NoObservations("bootstrap interval"));
    }
    let sampler = BinomialSampler::new(n, count as f64 / n as f64);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let nf = n as f64;
    let mut shares: Vec<f64> =
        (0..resamples).map(|_| sampler.sample(rng.random::<f64>()) as f64 / nf).collect();
    let interval = percentile_interval(count as f64 / nf, &mut shares, level);
    Ok(BootstrapInterval { interval, resamples, seed })
}

/// Bootstrap intervals for every key of a multi-label slice: `incidents[i]` lists the keys of
/// incident i (duplicates within an incident count once). Keys that no incident carries do not
/// appear in the result. Memory is O(keys · resamples).
pub fn bootstrap_multilabel<K, L>(
    incidents: &[L],
    level: f64,
    resamples: u32,
    seed: u64,
) -> Result<BTreeMap<K, BootstrapInterval>, StatsError>
where
    K: Ord + Clone,
    L: AsRef<[K]>,
{
    check_level(level)?;
    check_resamples(resamples)?;
    let n = incidents.len();
    if n == 0 {
        return Err(StatsError::NoObservations("bootstrap interval"));
    }
    let keys: Vec<K> =
        incidents.iter().flat_map(|l| l.as_ref().iter().cloned()).collect::<BTreeSet<_>>().into_iter().collect();
    // Each incident as the sorted, distinct indices of its keys.
    let labels: Vec<Vec<usize>> = incidents
        .iter()
        .map(|l| {
            let set: BTreeSet<usize> =
                l.as_ref().iter().filter_map(|k| keys.binary_search(k).ok()).collect();
            set.into_iter().collect()
        })
        .collect();
    let mut observed = vec![0u64; keys.len()];
    for l in &labels {
        for &k in l {
            observed[k] += 1;
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let r = resamples as usize;
    // counts[key * r + b]: count of `key` in resample b.
    let mut counts = vec![0u32; keys.len() * r];
    for b in 0..r {
        for _ in 0..n {
            let i = rng.random_range(0..n);
            for &k in &labels[i] {
                counts[k * r + b] += 1;
            }
        }
    }
    let nf = n as f64;
    let mut out = BTreeMap::new();
    for (k, key) in keys.into_iter().enumerate() {
        let mut shares: Vec<f64> =
            counts[k * r..(k + 1) * r].iter().map(|&c| f64::from(c) / nf).collect();
        let interval = percentile_interval(observed[k] as f64 / nf, &mut shares, level);
        out.insert(key, BootstrapInterval { interval, resamples, seed });
    }
    Ok(out)
}

fn check_resamples(resamples: u32) -> Result<(), StatsError> {
    if resamples == 0 {
        return Err(StatsError::Domain("bootstrap needs at least one resample".into()));
    }
    Ok(())
}

/// Percentile interval of `values` (sorted in place) around `estimate`.
fn percentile_interval(estimate: f64, values: &mut [f64], level: f64) -> Interval {
    values.sort_by(f64::total_cmp);
    let alpha = 1.0 - level;
    Interval {
        estimate,
        low: quantile_sorted(values, alpha / 2.0),
        high: quantile_sorted(values, 1.0 - alpha / 2.0),
    }
}

/// `numpy.percentile(values, 100 q)` with the default linear method, on sorted, non-empty input.
pub(crate) fn quantile_sorted(values: &[f64], q: f64) -> f64 {
    let h = (values.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(values.len() - 1);
    values[lo] + (h - lo as f64) * (values[hi] - values[lo])
}

/// Exact Binomial(n, p) draws by inversion of the CDF, walking out from the mode: the expected
/// work per draw is O(standard deviation), and one uniform gives one draw.
#[derive(Debug)]
struct BinomialSampler {
    n: u64,
    p: f64,
    q: f64,
    mode: u64,
    pmf_mode: f64,
    cdf_mode: f64,
}

impl BinomialSampler {
    fn new(n: u64, p: f64) -> Self {
        let q = 1.0 - p;
        let mode = (((n + 1) as f64 * p).floor() as u64).min(n);
        let (nf, m) = (n as f64, mode as f64);
        let pmf_mode = ln_binom_kernel(m, nf - m, p, q).exp();
        // P(X ≤ mode) = I_q(n − mode, mode + 1).
        let cdf_mode = if mode == n { 1.0 } else { beta_reg(nf - m, m + 1.0, q) };
        BinomialSampler { n, p, q, mode, pmf_mode, cdf_mode }
    }

    /// The smallest k with P(X ≤ k) ≥ u.
    fn sample(&self, u: f64) -> u64 {
        if self.p <= 0.0 {
            return 0;
        }
        if self.q <= 0.0 {
            return self.n;
        }
        let mut k = self.mode;
        let mut pmf = self.pmf_mode;
        let mut cum = self.cdf_mode;
        if u <= cum {
            // Walk down while P(X ≤ k − 1) = cum − pmf(k) still reaches u.
            while k > 0 && pmf > 0.0 {
                let below = cum - pmf;
                if u > below {
                    break;
                }
                cum = below;
                pmf *= k as f64 / (self.n - k + 1) as f64 * (self.q / self.p);
                k -= 1;
            }
        } else {
            while cum < u && k < self.n {
                k += 1;
                pmf *= (self.n - k + 1) as f64 / k as f64 * (self.p / self.q);
                if pmf <= 0.0 {
                    break;
                }
                cum += pmf;
            }
        }
        k
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is the failure report
mod tests;
