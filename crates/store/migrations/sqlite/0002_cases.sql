-- The case model (DOMAIN.md §4): citizens, enrollments, offers, placements, life events,
-- follow-ups, and the configurable code lists (§5). Ids of enrollments, offers, placements,
-- events and follow-ups are the extract's own keys, so a re-import updates instead of duplicating.

CREATE TABLE code_list (
    list     TEXT NOT NULL,
    code     TEXT NOT NULL,
    position INTEGER NOT NULL,
    label_da TEXT NOT NULL,
    label_en TEXT NOT NULL,
    lab      INTEGER NOT NULL DEFAULT 0,
    positive INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (list, code)
);

CREATE TABLE citizen (
    id                INTEGER PRIMARY KEY,
    -- The full CPR number: shown only to roles with case access, never logged or exported
    -- to analytic files; everything else refers to the internal id.
    cpr               TEXT NOT NULL UNIQUE,
    birth_date        TEXT NOT NULL,
    sex               TEXT NOT NULL CHECK (sex IN ('M', 'K')),
    name              TEXT,
    area_id           TEXT,
    substitute_number INTEGER NOT NULL DEFAULT 0,
    -- A modulus-11 failure is a warning the user confirmed (or the import accepted).
    modulus11_warning INTEGER NOT NULL DEFAULT 0,
    retention_date    TEXT
);
CREATE INDEX citizen_area ON citizen (area_id);

CREATE TABLE enrollment (
    id                     TEXT PRIMARY KEY,
    citizen_id             INTEGER NOT NULL REFERENCES citizen (id),
    initiative_code        TEXT NOT NULL REFERENCES initiative (code),
    start_date             TEXT NOT NULL,
    end_date               TEXT,
    end_reason             TEXT,
    lead                   TEXT NOT NULL,
    caseworker_code        TEXT,
    centre                 TEXT,
    -- Set when someone confirmed an enrollment outside the initiative's age band.
    age_warning_confirmed  TEXT,
    CHECK (end_date IS NULL OR end_date >= start_date),
    CHECK (end_date IS NULL OR end_reason IS NOT NULL)
);
CREATE INDEX enrollment_citizen ON enrollment (citizen_id);
CREATE INDEX enrollment_initiative ON enrollment (initiative_code, start_date);

CREATE TABLE offer (
    id            TEXT PRIMARY KEY,
    enrollment_id TEXT NOT NULL REFERENCES enrollment (id),
    offer_type    TEXT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT,
    end_reason    TEXT,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX offer_enrollment ON offer (enrollment_id);

CREATE TABLE placement (
    id         TEXT PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizen (id),
    employer   TEXT,
    start_date TEXT NOT NULL,
    end_date   TEXT,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX placement_citizen ON placement (citizen_id);

CREATE TABLE life_event (
    id         TEXT PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizen (id),
    kind       TEXT NOT NULL,
    event_date TEXT NOT NULL,
    value      INTEGER
);
CREATE INDEX life_event_citizen ON life_event (citizen_id);

CREATE TABLE follow_up (
    id          TEXT PRIMARY KEY,
    citizen_id  INTEGER NOT NULL REFERENCES citizen (id),
    anchor      TEXT NOT NULL CHECK (anchor IN ('forloeb_slut', 'tilbud_start', 'tilbud_slut', 'loesladelse')),
    anchor_id   TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    done_date   TEXT,
    status      TEXT,
    done_by     TEXT,
    -- 1 when the system scheduled it from its anchor, 0 when it came from an extract or a form.
    scheduled   INTEGER NOT NULL DEFAULT 0,
    CHECK (done_date IS NULL OR status IS NOT NULL),
    UNIQUE (anchor, anchor_id)
);
CREATE INDEX follow_up_citizen ON follow_up (citizen_id);
CREATE INDEX follow_up_due ON follow_up (due_date);
