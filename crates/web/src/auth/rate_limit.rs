//! Rate limiting of sign-in attempts, per client IP address and per username: a token bucket
//! each, on top of the store's lockout (which locks one account after
//! [`sikkerby_store::users::MAX_FAILED_LOGINS`] wrong passwords). A browser with a device cookie
//! of the user (it signed in as them before) is not charged to the username's bucket, so that a
//! stranger exhausting it slows only browsers the user has never used (docs/security.md).
//!
//! The buckets live in this process, not in the database. That is acceptable because they only
//! slow guessing down: the hard limit per account, the lockout, is in the database and shared by
//! every instance, and every attempt is audited there. With several instances an attacker gets
//! at most that many times the rate below; an in-process limiter also costs no database write
//! per attempt, which would otherwise make the limiter a cheap way to load the database.
//!
//! The table is bounded: when it grows past [`MAX_KEYS`], full buckets (keys idle long enough to
//! have refilled) are dropped, and if that is not enough the oldest keys go.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many keys a limiter keeps before it prunes.
const MAX_KEYS: usize = 10_000;

/// One bucket's shape: at most `burst` attempts at once, refilled by one every `refill`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketSpec {
    pub burst: u32,
    pub refill: Duration,
}

/// The limits for sign-in attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Per client address: a shared office may sign in many people at once.
    pub per_ip: BucketSpec,
    /// Per username (also unknown ones), whichever address the attempts come from.
    pub per_username: BucketSpec,
}

impl Default for LoginLimits {
    /// 30 attempts at once per address, then one every 4 s (15 a minute); 10 per username, then
    /// one every 30 s. The store locks an account after 5 wrong passwords anyway.
    fn default() -> Self {
        LoginLimits {
            per_ip: BucketSpec { burst: 30, refill: Duration::from_secs(4) },
            per_username: BucketSpec { burst: 10, refill: Duration::from_secs(30) },
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets by key.
#[derive(Debug)]
struct Buckets {
    spec: BucketSpec,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Buckets {
    fn new(spec: BucketSpec) -> Self {
        Buckets { spec, buckets: Mutex::new(HashMap::new()) }
    }

    fn refilled(&self, bucket: Bucket, now: Instant) -> f64 {
        let per_second = 1.0 / self.spec.refill.as_secs_f64().max(1e-3);
        let gained = now.saturating_duration_since(bucket.at).as_secs_f64() * per_second;
        (bucket.tokens + gained).min(f64::from(self.spec.burst))
    }

    /// Takes one token for `key`; false when the bucket is empty.
    fn take(&self, key: &str, now: Instant) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            self.prune(&mut buckets, now);
        }
        let full = Bucket { tokens: f64::from(self.spec.burst), at: now };
        let bucket = buckets.get(key).copied().unwrap_or(full);
        let tokens = self.refilled(bucket, now);
        let allowed = tokens >= 1.0;
        let left = if allowed { tokens - 1.0 } else { tokens };
        buckets.insert(key.to_owned(), Bucket { tokens: left, at: now });
        allowed
    }

    fn prune(&self, buckets: &mut HashMap<String, Bucket>, now: Instant) {
        let burst = f64::from(self.spec.burst);
        buckets.retain(|_, b| self.refilled(*b, now) < burst);
        if buckets.len() >= MAX_KEYS {
            let mut by_age: Vec<(Instant, String)> = buckets.iter().map(|(k, b)| (b.at, k.clone())).collect();
            by_age.sort();
            for (_, key) in by_age.into_iter().take(MAX_KEYS / 10) {
                buckets.remove(&key);
            }
        }
    }
}

/// The sign-in limiter of one process.
#[derive(Debug)]
pub struct LoginLimiter {
    per_ip: Buckets,
    per_username: Buckets,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new(LoginLimits::default())
    }
}

impl LoginLimiter {
    pub fn new(limits: LoginLimits) -> Self {
        LoginLimiter { per_ip: Buckets::new(limits.per_ip), per_username: Buckets::new(limits.per_username) }
    }

    /// Counts one attempt from `ip` for `username`; false when either limit is exhausted (the
    /// attempt is refused without checking the password). Both buckets are charged, so a
    /// refused address cannot keep a username's bucket full; `known_device` (a live device
    /// cookie of this user) spares the username's bucket.
    pub fn attempt(&self, ip: Option<IpAddr>, username: &str, known_device: bool) -> bool {
        let now = Instant::now();
        let ip_key = ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        let by_ip = self.per_ip.take(&ip_key, now);
        let by_name = known_device || self.per_username.take(&username.trim().to_lowercase(), now);
        by_ip && by_name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(burst: u32, secs: u64) -> BucketSpec {
        BucketSpec { burst, refill: Duration::from_secs(secs) }
    }

    #[test]
    fn a_bucket_allows_its_burst_then_refuses_until_it_refills() {
        let buckets = Buckets::new(spec(3, 10));
        let start = Instant::now();
        assert!((0..3).all(|_| buckets.take("a", start)));
        assert!(!buckets.take("a", start), "burst used up");
        assert!(buckets.take("b", start), "another key has its own bucket");
        assert!(!buckets.take("a", start + Duration::from_secs(5)), "half a token is not enough");
        assert!(buckets.take("a", start + Duration::from_secs(16)), "one token back after 10 s");
    }

    #[test]
    fn the_username_limit_applies_across_addresses_and_ignores_case() {
        let limiter = LoginLimiter::new(LoginLimits { per_ip: spec(100, 1), per_username: spec(2, 60) });
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(limiter.attempt(Some(a), "Anna", false) && limiter.attempt(Some(b), "anna", false));
        assert!(!limiter.attempt(Some(b), "ANNA ", false));
        assert!(limiter.attempt(Some(b), "anna", true), "a known browser of the user is not held up");
        assert!(limiter.attempt(Some(b), "bo", false));
    }

    #[test]
    fn the_table_stays_bounded() {
        let buckets = Buckets::new(spec(1, 3600));
        let now = Instant::now();
        for i in 0..MAX_KEYS + 5 {
            buckets.take(&format!("k{i}"), now);
        }
        assert!(buckets.buckets.lock().unwrap().len() <= MAX_KEYS);
    }
}
