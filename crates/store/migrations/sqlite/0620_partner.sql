-- The partner role (docs/security.md "Partners", docs/safety-index.md "Assessments by
-- partners"): SSP leader groups and the social services submit the half-yearly assessments of
-- the areas of their own districts.
--
-- The role's CHECK admits 'partner'. A CHECK cannot be changed in place on SQLite, so the
-- column is replaced the same way on both backends (which keeps their column order alike, as
-- the cross-backend backup wants): a new column with the wider CHECK, filled, the old one
-- dropped. Its default is the role with the least access; every insert names the role anyway.
ALTER TABLE app_user ADD COLUMN role_new TEXT NOT NULL DEFAULT 'partner'
    CHECK (role_new IN ('caseworker', 'analyst', 'manager', 'admin', 'partner'));
UPDATE app_user SET role_new = role;
ALTER TABLE app_user DROP COLUMN role;
ALTER TABLE app_user RENAME COLUMN role_new TO role;

-- A partner user's source (whose assessments they submit) and districts, set by an
-- administrator; other roles have no row.
CREATE TABLE partner_user (
    user_id INTEGER PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
    source  TEXT NOT NULL CHECK (source IN ('ssp_ledergruppe', 'socialforvaltning'))
);
CREATE TABLE partner_district (
    user_id     INTEGER NOT NULL REFERENCES partner_user (user_id) ON DELETE CASCADE,
    district_id TEXT NOT NULL REFERENCES district (id),
    PRIMARY KEY (user_id, district_id)
);

-- A deadline the secretariat set for a half-year's assessments; without a row the deadline is
-- 15 days after the half-year's last day.
CREATE TABLE assessment_deadline (
    half_year TEXT PRIMARY KEY,
    deadline  TEXT NOT NULL,
    set_by    TEXT NOT NULL,
    set_at    TEXT NOT NULL
);

-- Who submitted a district's assessments of a half-year for a source, when, and whether after
-- the deadline. The assessments themselves are rows of area_assessment.
CREATE TABLE assessment_submission (
    district_id  TEXT NOT NULL REFERENCES district (id),
    half_year    TEXT NOT NULL,
    source       TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    late         INTEGER NOT NULL CHECK (late IN (0, 1)),
    PRIMARY KEY (district_id, half_year, source)
);
