-- The safety index's area data (DATA-FORMATS.md, "Area data"): population per area and year,
-- police reports, survey responses, the half-yearly assessments, and the index configuration
-- as versioned TOML. Keys are the extract's own, so importing the same folder twice changes
-- nothing. Areas themselves live in `area` (0001), upserted by the import.

CREATE TABLE area_year (
    area_id     TEXT NOT NULL REFERENCES area (id),
    year        BIGINT NOT NULL,
    -- The district the area belonged to that year, as the extract said.
    district_id TEXT NOT NULL REFERENCES district (id),
    population  BIGINT NOT NULL CHECK (population >= 0),
    PRIMARY KEY (area_id, year)
);

CREATE TABLE police_report (
    area_id        TEXT NOT NULL REFERENCES area (id),
    year           BIGINT NOT NULL,
    offence_group  TEXT NOT NULL,
    citizen_facing BIGINT NOT NULL CHECK (citizen_facing IN (0, 1)),
    reports        BIGINT NOT NULL CHECK (reports >= 0),
    PRIMARY KEY (area_id, year, offence_group, citizen_facing)
);

CREATE TABLE survey_response (
    respondent_id      TEXT NOT NULL,
    year               BIGINT NOT NULL,
    area_id            TEXT NOT NULL REFERENCES area (id),
    weight             DOUBLE PRECISION NOT NULL CHECK (weight >= 0),
    safe_neighbourhood BIGINT NOT NULL CHECK (safe_neighbourhood BETWEEN 1 AND 5),
    safe_night         BIGINT NOT NULL CHECK (safe_night BETWEEN 1 AND 5),
    victimised         BIGINT NOT NULL CHECK (victimised IN (0, 1)),
    PRIMARY KEY (respondent_id, year)
);
CREATE INDEX survey_response_area ON survey_response (year, area_id);

CREATE TABLE area_assessment (
    area_id    TEXT NOT NULL REFERENCES area (id),
    -- `2012H2`: year and half.
    half_year  TEXT NOT NULL,
    source     TEXT NOT NULL,
    assessment BIGINT NOT NULL CHECK (assessment BETWEEN 1 AND 5),
    text       TEXT,
    PRIMARY KEY (area_id, half_year, source)
);

-- Every configuration the index was ever computed with; the highest version is in force.
CREATE TABLE index_config (
    version    BIGINT PRIMARY KEY,
    toml       TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
