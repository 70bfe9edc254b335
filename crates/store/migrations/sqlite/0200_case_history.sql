-- The history of corrected case facts (cases/history.rs): a recorded end date, end reason,
-- follow-up outcome or event date is never overwritten in place without a row here saying who
-- changed which field of which record, when, from what, to what and why. Reports that must be
-- reproducible can read a record as it stood on a day. Deleted with the citizen (retention).
CREATE TABLE case_history (
    id          INTEGER PRIMARY KEY,
    citizen_id  INTEGER NOT NULL REFERENCES citizen (id),
    -- 'forloeb', 'tilbud', 'opfoelgning' or 'haendelse'.
    record_kind TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    -- The form field (and CSV column) of the fact: 'slut', 'afslutningsaarsag', 'udfoert',
    -- 'status', 'dato'.
    field       TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    reason      TEXT NOT NULL CHECK (reason <> ''),
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL
);
CREATE INDEX case_history_citizen ON case_history (citizen_id, id);
