-- The memo's portfolio, geography, criteria and budget (seed data, upserted on every start).
-- Dates are ISO text, money is exact decimal text, integers are 64-bit: the same on both backends.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE org_unit (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    administration TEXT NOT NULL,
    parent_id      TEXT
);

CREATE TABLE initiative (
    code                      TEXT PRIMARY KEY,
    position                  INTEGER NOT NULL,
    name                      TEXT NOT NULL,
    scope                     TEXT NOT NULL,
    data_source               TEXT NOT NULL,
    anchor_unit_id            TEXT NOT NULL REFERENCES org_unit (id),
    capacity_full_year_places INTEGER,
    min_age_months            INTEGER,
    max_age_months            INTEGER,
    -- The whole initiative as JSON, including the memo's verbatim wording.
    document                  TEXT NOT NULL
);

CREATE TABLE district (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE area (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    district_id  TEXT REFERENCES district (id),
    memo_wording TEXT NOT NULL DEFAULT '',
    from_seed    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE criterion (
    id             TEXT PRIMARY KEY,
    initiative_code TEXT NOT NULL REFERENCES initiative (code),
    kind           TEXT NOT NULL,
    document       TEXT NOT NULL
);

CREATE TABLE budget_line (
    position        INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    initiative_code TEXT REFERENCES initiative (code)
);

CREATE TABLE budget_cell (
    line_position INTEGER NOT NULL REFERENCES budget_line (position),
    year          INTEGER NOT NULL,
    -- 'amount', 'no_allocation' or 'funding_ended': an empty cell and a dash stay distinct.
    kind          TEXT NOT NULL CHECK (kind IN ('amount', 'no_allocation', 'funding_ended')),
    amount        TEXT,
    PRIMARY KEY (line_position, year)
);

CREATE TABLE budget_actual (
    line_position INTEGER NOT NULL REFERENCES budget_line (position),
    year          INTEGER NOT NULL,
    amount        TEXT NOT NULL,
    PRIMARY KEY (line_position, year)
);
