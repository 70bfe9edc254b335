//! How sure the index is (docs/domain.md §8): Kish effective sample size, Wilson intervals for the
//! survey shares, the seeded bootstrap of T, and the significance tests of year-on-year changes.
//!
//! The tests chosen, and why:
//! - survey shares (V, U, N): a two-sided two-proportion z-test with the pooled share, on the
//!   Kish effective n of each year rather than the raw n, because design weights make a weighted
//!   share vary more than a simple random sample of the same size would;
//! - R: the reports are a count over the whole population, not a sample, so the uncertainty is
//!   the Poisson noise of the count. Conditional on the two years' total, the later year's count
//!   is binomial with p = its share of the combined population under "equal rates"; we use the
//!   exact two-sided binomial test (as R's `poisson.test`/`binom.test`), which stays valid for
//!   the small counts of small areas where a normal approximation does not;
//! - T: a difference of two bootstrap distributions (see [`difference_interval`]): significant
//!   when its percentile interval excludes 0.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The 97.5 % quantile of the standard normal distribution (for 95 % intervals).
pub const Z_95: f64 = 1.959_963_984_540_054;

/// Kish's effective sample size (Σw)² / Σw²; 0 for no (or only zero) weights.
pub fn kish_effective_n(weights: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, sum_sq) = weights.into_iter().fold((0.0, 0.0), |(s, q), w| (s + w, q + w * w));
    if sum_sq > 0.0 {
        sum * sum / sum_sq
    } else {
        0.0
    }
}

/// The 95 % Wilson score interval of a share `p` observed on an (effective) sample size `n`.
/// Unlike the Wald interval it stays inside [0, 1] and is not empty at p = 0 or 1, which matters
/// for areas with a handful of respondents. `None` when `n` is not positive.
pub fn wilson_interval(p: f64, n: f64) -> Option<[f64; 2]> {
    if n.is_nan() || n <= 0.0 || !p.is_finite() {
        return None;
    }
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z_95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

/// The complementary error function (Numerical Recipes' `erfcc`, fractional error < 1.2e-7,
/// ample for deciding p < 0.05).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Two-sided p-value of a standard normal statistic.
pub fn normal_two_sided_p(z: f64) -> f64 {
    erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0)
}

/// Two-sided p-value of the two-proportion z-test with pooled variance, on effective sizes
/// `n1`, `n2`. `None` when either size is not positive. When the pooled share is 0 or 1 both
/// shares are equal and there is nothing to test (p = 1).
pub fn two_proportion_p_value(p1: f64, n1: f64, p2: f64, n2: f64) -> Option<f64> {
    if n1.is_nan() || n2.is_nan() || n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
    let variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2);
    if variance <= 0.0 {
        return Some(1.0);
    }
    Some(normal_two_sided_p((p2 - p1) / variance.sqrt()))
}

/// Two-sided p-value for equal Poisson rates: `k1` events on exposure `e1` against `k2` on `e2`
/// (exact conditional binomial test; see the module docs). `None` when an exposure is not
/// positive.
pub fn poisson_rate_p_value(k1: u64, e1: f64, k2: u64, e2: f64) -> Option<f64> {
    if e1.is_nan() || e2.is_nan() || e1 <= 0.0 || e2 <= 0.0 {
        return None;
    }
    let n = k1 + k2;
    if n == 0 {
        return Some(1.0);
    }
    let pi = e2 / (e1 + e2);
    let (ln_p, ln_q) = (pi.ln(), (1.0 - pi).ln());
    // log pmf by the recurrence pmf(k+1) = pmf(k)·(n−k)/(k+1)·p/q, so no factorials overflow.
    let mut log_pmf = Vec::with_capacity(n as usize + 1);
    let mut current = n as f64 * ln_q;
    for k in 0..=n {
        log_pmf.push(current);
        current += ((n - k) as f64).ln() - ((k + 1) as f64).ln() + ln_p - ln_q;
    }
    // Every outcome at most as likely as the observed one, with R's relative tolerance for ties.
    // Dividing by the total (1 up to rounding) keeps a p of "everything" exactly 1.
    let threshold = log_pmf[k2 as usize] + 1e-7;
    let (mut as_extreme, mut total) = (0.0, 0.0);
    for l in log_pmf {
        let pmf = l.exp();
        total += pmf;
        if l <= threshold {
            as_extreme += pmf;
        }
    }
    Some((as_extreme / total).min(1.0))
}

/// The `q` quantile of sorted values, linear between order statistics (R's type 7).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(last);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The central percentile interval [α/2, 1 − α/2] of unsorted values; `None` for no values.
pub fn percentile_interval(values: &[f64], alpha: f64) -> Option<[f64; 2]> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    Some([quantile_sorted(&sorted, alpha / 2.0)?, quantile_sorted(&sorted, 1.0 - alpha / 2.0)?])
}

/// Percentile interval of T(after) − T(before) from the two years' bootstrap draws. The years'
/// samples are independent, so pairing the b-th draw of one year with the b-th of the other is a
/// draw from the joint distribution (the draws must be in resampling order, never sorted). A year
/// without draws (no survey component in T) has no sampling error in this model and enters as its
/// point value.
pub fn difference_interval(before: (&[f64], f64), after: (&[f64], f64), alpha: f64) -> [f64; 2] {
    let pick = |draws: &[f64], point: f64, i: usize| {
        if draws.is_empty() {
            point
        } else {
            draws[i % draws.len()]
        }
    };
    let len = before.0.len().max(after.0.len());
    let diffs: Vec<f64> = (0..len).map(|i| pick(after.0, after.1, i) - pick(before.0, before.1, i)).collect();
    percentile_interval(&diffs, alpha).unwrap_or([after.1 - before.1; 2])
}

/// T as a linear function of the survey shares V and U, everything else (R, the city's base
/// values, the weights) held fixed: T = constant + per_v·V + per_u·U.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearT {
    pub constant: f64,
    pub per_v: f64,
    pub per_u: f64,
}

impl LinearT {
    /// T at the given shares.
    pub fn at(&self, v: f64, u: f64) -> f64 {
        self.constant + self.per_v * v + self.per_u * u
    }
}

/// One respondent as the bootstrap reads them: `[w, w if victimised else 0, w if unsafe else 0]`.
pub type Draw = [f64; 3];

/// The bootstrap's random stream for one area and year: the configured seed, and a ChaCha stream
/// chosen by a hash of the area and year, so that the result does not depend on the order the
/// areas are processed in or on how many threads process them.
pub fn bootstrap_rng(seed: u64, area: &str, year: i32) -> ChaCha8Rng {
    // FNV-1a: tiny, stable across Rust versions (unlike std's DefaultHasher, which may change).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in area.bytes().chain(year.to_le_bytes()) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(hash);
    rng
}

/// T of `resamples` bootstrap resamples, in resampling order: each draws `sample.len()`
/// respondents with replacement and recomputes the weighted V and U. R is not resampled: it is a
/// count over the whole population, not a sample, so it has no sampling error to propagate.
/// A resample whose weights sum to 0 defines no share and is skipped. Empty for no respondents.
pub fn bootstrap_t(sample: &[Draw], t: LinearT, resamples: u32, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let mut out = Vec::with_capacity(resamples as usize);
    if sample.is_empty() || u32::try_from(sample.len()).is_err() {
        return out;
    }
    // Inside the loop only draws and sums: no allocation per resample.
    for _ in 0..resamples {
        let [w, wv, wu] = resample_sums(sample, rng);
        if w > 0.0 {
            out.push(t.at(wv / w, wu / w));
        }
    }
    out
}

/// The sums [Σw, Σw·victimised, Σw·unsafe] over one resample of `sample.len()` draws.
///
/// This is the hot loop (the city-scale benchmark makes some 160 million draws), hence:
/// - an index is `(32 random bits × n) >> 32` (Lemire's multiply-shift) without the rejection
///   step: its bias is below n / 2³², under 10⁻⁶ for any area, far below the Monte Carlo error;
/// - one 64-bit random word gives two indices;
/// - two sets of accumulators, so consecutive additions do not wait for each other.
fn resample_sums(sample: &[Draw], rng: &mut ChaCha8Rng) -> Draw {
    let n = sample.len() as u64;
    let index = |bits: u64| (((bits & 0xffff_ffff) * n) >> 32) as usize;
    let (mut even, mut odd) = ([0.0; 3], [0.0; 3]);
    for _ in 0..sample.len() / 2 {
        let bits = rng.next_u64();
        let (a, b) = (&sample[index(bits)], &sample[index(bits >> 32)]);
        for k in 0..3 {
            even[k] += a[k];
            odd[k] += b[k];
        }
    }
    if sample.len() % 2 == 1 {
        let a = &sample[index(rng.next_u64())];
        for k in 0..3 {
            even[k] += a[k];
        }
    }
    [even[0] + odd[0], even[1] + odd[1], even[2] + odd[2]]
}
