-- Recorded report snapshots (DOMAIN.md §2 cadences, §9 reproducibility): the evaluated report
-- model as JSON with the versions of the data, configuration and criteria it was made from.
-- A report is always rendered from a snapshot, so regenerating it gives the same bytes; an
-- approved snapshot is locked, and a correction is a new version listing what changed.
CREATE TABLE report_snapshot (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('annual', 'halfyear', 'quarter')),
    period           TEXT NOT NULL,
    version          INTEGER NOT NULL,
    model            TEXT NOT NULL,
    data_version     TEXT NOT NULL,
    config_version   TEXT NOT NULL,
    criteria_version TEXT NOT NULL,
    configuration    TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    -- The approved snapshot this version corrects, and the figures that changed versus it.
    corrects_id      INTEGER REFERENCES report_snapshot (id),
    changes          TEXT NOT NULL DEFAULT '[]',
    approved_by      TEXT,
    approved_at      TEXT,
    UNIQUE (kind, period, version),
    CHECK (approved_by IS NULL OR approved_by <> created_by)
);
