-- The data generation (generation.rs): a counter that every write to the reference data the
-- figures are computed from moves, so that a server can keep computed figures and know, with
-- one small query, whether they are still current, also after a write by another instance or
-- the CLI. Triggers, not code in every writer: no write path can forget it.
-- Case data is not here: it has its own log (case_changes), which a bulk import would otherwise
-- turn into millions of counter updates. The safety index's big input tables (police reports,
-- survey responses) are covered by the import stamp that the same import writes to `meta`.
CREATE TABLE data_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO data_generation (id, n) VALUES (1, 0);
-- Statement-level triggers here: one bump per statement, however many rows it writes.
CREATE FUNCTION bump_data_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER meta_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON meta
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER org_unit_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_unit
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER initiative_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON initiative
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER district_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON district
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER area_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON area
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER criterion_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON criterion
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER budget_line_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON budget_line
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER budget_cell_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON budget_cell
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER budget_actual_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON budget_actual
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER code_list_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON code_list
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER indicator_entry_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON indicator_entry
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER index_config_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON index_config
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER area_year_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON area_year
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
CREATE TRIGGER area_assessment_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON area_assessment
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation();
