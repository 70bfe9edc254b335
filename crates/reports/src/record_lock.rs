//! One snapshot recording at a time per report, in this process. Recording reads the latest
//! version and then inserts the next (or reuses a draft): two at once for the same report both
//! read version N and both write N+1, and on SQLite the second transaction's read lock cannot
//! become a write lock ("database is locked", measured: 15 of 16 concurrent `POST /rapporter`
//! answered 500 on SQLite, 7 of 16 on PostgreSQL). Behind this lock the first request records
//! and the others find its draft and reuse it. On SQLite, which has one writer anyway, all
//! recordings share one lock; on PostgreSQL only those of the same kind and period.
//! Rendering happens after the lock is released, so concurrent downloads still render in
//! parallel.

use sikkerby_store::{Backend, Store};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The lock of the report `kind`/`period` on `store`'s backend.
pub(crate) fn for_report(store: &Store, kind: &str, period: &str) -> Arc<tokio::sync::Mutex<()>> {
    static LOCKS: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let key = match store.backend() {
        Backend::Sqlite => "sqlite".to_owned(),
        Backend::Postgres => format!("{kind}\n{period}"),
    };
    let mut locks = LOCKS.get_or_init(Mutex::default).lock().unwrap_or_else(|p| p.into_inner());
    // Kinds times periods asked for: a few hundred keys at most over a process's life.
    locks.entry(key).or_default().clone()
}
