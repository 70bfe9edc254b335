-- The caseworker codes a user works under (the extract's sagsbehandlerkode, e.g. JKU-A17), so
-- that the worklist can start as the caseworker's own list ("Min liste"). A user may hold
-- several codes (a shared or inherited caseload); a code is not tied to one user, because the
-- extract's codes are reassigned when a caseworker leaves.
CREATE TABLE user_caseworker_code (
    user_id BIGINT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    code    TEXT NOT NULL,
    PRIMARY KEY (user_id, code)
);
