-- Security (DOMAIN.md §9): users and their centres, sessions, the hash-chained audit log,
-- disclosures to partners, and tombstones of citizens deleted when their retention date passed.
--
-- First `citizen` is rebuilt with AUTOINCREMENT. Without it SQLite gives a new citizen the
-- largest id again after the citizen holding it was deleted, and audit rows and disclosures,
-- which keep only the internal id, would then point at the wrong person. Foreign keys cannot be
-- turned off inside the migration's transaction, so they are deferred: dropping the table
-- counts the child rows as violations and inserting the same ids into the new table clears them
-- again before the commit checks.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE citizen_copy AS SELECT * FROM citizen;
DROP TABLE citizen;
CREATE TABLE citizen (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    cpr               TEXT NOT NULL UNIQUE,
    birth_date        TEXT NOT NULL,
    sex               TEXT NOT NULL CHECK (sex IN ('M', 'K')),
    name              TEXT,
    area_id           TEXT,
    substitute_number INTEGER NOT NULL DEFAULT 0,
    modulus11_warning INTEGER NOT NULL DEFAULT 0,
    -- The day from which the citizen's personal data may no longer be kept (see retention.rs).
    retention_date    TEXT
);
INSERT INTO citizen (id, cpr, birth_date, sex, name, area_id, substitute_number, modulus11_warning,
                     retention_date)
    SELECT id, cpr, birth_date, sex, name, area_id, substitute_number, modulus11_warning, retention_date
    FROM citizen_copy;
DROP TABLE citizen_copy;
CREATE INDEX citizen_area ON citizen (area_id);

-- What is left of a citizen whose data were deleted: nothing that identifies them, enough for
-- aggregates. The id is the citizen's internal id, which the audit log and disclosures keep.
CREATE TABLE citizen_tombstone (
    id         INTEGER PRIMARY KEY,
    birth_year INTEGER NOT NULL,
    sex        TEXT NOT NULL CHECK (sex IN ('M', 'K')),
    area_id    TEXT,
    deleted_on TEXT NOT NULL,
    -- `explicit` (the citizen's retention date) or `computed` (the documented rule).
    rule       TEXT NOT NULL
);

CREATE TABLE app_user (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('caseworker', 'analyst', 'manager', 'admin')),
    -- Argon2id in PHC string form; never the password.
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE user_centre (
    user_id INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    centre  TEXT NOT NULL,
    PRIMARY KEY (user_id, centre)
);

-- Sessions live in the database so that several instances share them. Only the SHA-256 of the
-- token is stored: a copy of this table does not let anyone log in.
CREATE TABLE user_session (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_secret  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX user_session_user ON user_session (user_id);

-- The audit log: append-only and hash-chained. row_hash = SHA-256(prev_hash || the row's fields
-- in canonical form), so a changed or removed row breaks the chain (see audit.rs).
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    user_id      INTEGER,
    username     TEXT,
    role         TEXT,
    action       TEXT NOT NULL,
    -- The citizen's internal id, never the CPR number; no foreign key, the row outlives them.
    person_id    INTEGER,
    purpose_code TEXT,
    purpose_text TEXT NOT NULL DEFAULT '',
    result       TEXT NOT NULL CHECK (result IN ('ok', 'denied', 'error')),
    detail       TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    row_hash     TEXT NOT NULL
);
CREATE INDEX audit_log_person ON audit_log (person_id, seq);
CREATE INDEX audit_log_user ON audit_log (user_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The chain's head: the last seq and hash. Appending updates this one row first, which takes the
-- write lock (SQLite) or the row lock (PostgreSQL) and so serialises appends; it also shows when
-- rows at the end of the log were removed.
CREATE TABLE audit_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    seq      INTEGER NOT NULL,
    row_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, row_hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_head_only_forward BEFORE UPDATE ON audit_head
WHEN NEW.seq < OLD.seq OR NEW.id <> OLD.id
BEGIN
    SELECT RAISE(ABORT, 'audit_head only moves forward');
END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head is permanent');
END;

-- Disclosures to partners (DOMAIN.md §9), each also an audit row (audit_seq).
CREATE TABLE disclosure (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    person_id    INTEGER NOT NULL,
    recipient    TEXT NOT NULL,
    what         TEXT NOT NULL,
    legal_basis  TEXT NOT NULL
        CHECK (legal_basis IN ('RPL_115', 'DBL_8_2_1', 'DBL_8_2_2', 'DBL_8_2_3', 'DBL_8_2_4', 'CONSENT')),
    purpose      TEXT NOT NULL,
    by_user_id   INTEGER,
    by_username  TEXT NOT NULL,
    audit_seq    INTEGER NOT NULL REFERENCES audit_log (seq),
    -- RPL § 115 information is never disclosed for a criminal investigation.
    CHECK (NOT (legal_basis = 'RPL_115' AND purpose = 'criminal_investigation'))
);
CREATE INDEX disclosure_person ON disclosure (person_id);

CREATE TRIGGER disclosure_no_update BEFORE UPDATE ON disclosure
BEGIN
    SELECT RAISE(ABORT, 'disclosure is append-only');
END;
CREATE TRIGGER disclosure_no_delete BEFORE DELETE ON disclosure
BEGIN
    SELECT RAISE(ABORT, 'disclosure is append-only');
END;
