-- Browsers that have signed in as a user before (OWASP "device cookies"): a failed-login lockout
-- of the account does not apply to them, so that a stranger guessing passwords cannot lock the
-- user out of their own browser. Only the SHA-256 of the cookie's token is stored. Rows expire;
-- they end with their user.
CREATE TABLE login_device (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX login_device_user ON login_device (user_id);
