-- The change log of case data (change_log.rs): one row per committed change to data the
-- evaluator keeps in memory, so that every `sikkerby serve` instance on this database (and one
-- beside a CLI import) can bring its copy up to date with one primary-key range query.
-- `citizen_id` NULL means "everything may have changed, reload" (imports, retention, seed).
-- No foreign key: the row must outlive a citizen deleted for retention.
-- Appends are serialised by an advisory lock (change_log.rs), so seq order is commit order.
CREATE TABLE case_changes (
    seq        BIGSERIAL PRIMARY KEY,
    citizen_id BIGINT,
    changed_at TEXT NOT NULL
);
