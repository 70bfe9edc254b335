-- Manual indicators (C11, Hotspot), external indicators (C13) and deliverables (C17, C18):
-- entered by one user, approved by another; only approved entries reach the results.
CREATE TABLE indicator_entry (
    id           INTEGER PRIMARY KEY,
    criterion_id TEXT NOT NULL REFERENCES criterion (id),
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    indicator    TEXT NOT NULL,
    number       TEXT,
    baseline     TEXT,
    direction    TEXT CHECK (direction IN ('up', 'down')),
    assessment   TEXT CHECK (assessment IN ('met', 'partly', 'not_met')),
    due_date     TEXT,
    delivered    TEXT,
    narrative    TEXT NOT NULL DEFAULT '',
    entered_by   TEXT NOT NULL,
    entered_at   TEXT NOT NULL,
    approved_by  TEXT,
    approved_at  TEXT,
    CHECK (period_to >= period_from),
    CHECK (approved_by IS NULL OR approved_by <> entered_by)
);
CREATE INDEX indicator_entry_criterion ON indicator_entry (criterion_id, period_from);
