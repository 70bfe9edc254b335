-- Sign-in through the municipality's identity provider (OpenID Connect, docs/security.md).
-- A user who signs in there is named by the provider's issuer and subject (`iss`, `sub`); both
-- are NULL for a local user with a password.
ALTER TABLE app_user ADD COLUMN external_issuer TEXT;
ALTER TABLE app_user ADD COLUMN external_subject TEXT;
CREATE UNIQUE INDEX app_user_external ON app_user (external_issuer, external_subject);

-- A sign-in sent to the provider and not yet back: the SHA-256 of its `state`, the browser it
-- belongs to (SHA-256 of a cookie's token), the nonce and the PKCE verifier. Kept in the
-- database so that any instance can take the answer; deleted when the answer comes (a replayed
-- state finds nothing) or when it expires.
CREATE TABLE oidc_pending (
    state_hash    TEXT PRIMARY KEY,
    browser_hash  TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path     TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
