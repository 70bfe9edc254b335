-- What has been published of each period as of each month-end (docs/disclosure.md, "Releases"):
-- the disclosure-controlled cells last shown to users without case access, so that a publication
-- of the same period as of another month-end is protected against subtraction from it.
-- Aggregates only (counts of at least the threshold, or zero), no personal data.
CREATE TABLE published_release (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    as_of        TEXT NOT NULL,
    -- SHA-256 of the cells: an unchanged release is not written again.
    digest       TEXT NOT NULL,
    -- JSON object: cell key -> shown value.
    cells        TEXT NOT NULL,
    published_at TEXT NOT NULL,
    UNIQUE (period_from, period_to, as_of)
);
