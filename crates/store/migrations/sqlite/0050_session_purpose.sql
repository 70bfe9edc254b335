-- The purpose a signed-in user gave for working with one citizen's data (DOMAIN.md §9): asked
-- once per citizen and session, then recorded with every read and write of that citizen.
-- `registered` = the session registered the citizen itself (who then has no enrollment yet).
-- Rows end with their session.
CREATE TABLE session_purpose (
    token_hash   TEXT NOT NULL REFERENCES user_session (token_hash) ON DELETE CASCADE,
    citizen_id   INTEGER NOT NULL,
    purpose_code TEXT NOT NULL,
    purpose_text TEXT NOT NULL DEFAULT '',
    registered   INTEGER NOT NULL DEFAULT 0,
    set_at       TEXT NOT NULL,
    PRIMARY KEY (token_hash, citizen_id)
);
