-- One-time password reset codes an administrator issues (docs/security.md "Resetting a
-- password"): the administrator sees the code once and hands it to the user, who sets a new
-- password with it. Only the SHA-256 of the code is stored; a code works once, until it
-- expires, and a new code replaces the user's earlier one.
CREATE TABLE password_reset (
    code_hash  TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL UNIQUE REFERENCES app_user (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
