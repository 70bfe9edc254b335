-- The centre that holds a citizen registered in Sikker By (cases/citizens.rs): a caseworker's
-- registration is held by the caseworker's centre from the start, before (or without) any
-- enrollment, so the citizen does not vanish from the centre's search and page. A citizen is
-- held by this centre and by the centres of their enrollments; NULL for one imported from an
-- extract, who is held by their enrollments' centres only.
ALTER TABLE citizen ADD COLUMN held_by TEXT;
CREATE INDEX citizen_held_by ON citizen (held_by);
