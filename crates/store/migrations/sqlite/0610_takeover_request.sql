-- A caseworker's request to take over a citizen their centres do not hold (cases/takeover.rs):
-- made when a registration names a CPR number already registered outside the caseworker's
-- centres (held by another centre, or by none). The centres holding the citizen decide it (or a
-- manager, who alone decides one held by no centre); on grant `citizen.held_by` becomes
-- `requesting_centre`. `typed_name` is what the requester typed, shown back to them only.
-- Deleted with the citizen by retention.
CREATE TABLE takeover_request (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    citizen_id        INTEGER NOT NULL REFERENCES citizen (id),
    requesting_centre TEXT NOT NULL,
    requested_by      INTEGER NOT NULL,
    typed_name        TEXT,
    requested_at      TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'granted', 'refused')),
    decided_by        INTEGER,
    decided_at        TEXT
);
CREATE INDEX takeover_request_citizen ON takeover_request (citizen_id);
CREATE INDEX takeover_request_requested_by ON takeover_request (requested_by, id);
