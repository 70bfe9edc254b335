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
CREATE TRIGGER meta_insert_generation AFTER INSERT ON meta
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER meta_update_generation AFTER UPDATE ON meta
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER meta_delete_generation AFTER DELETE ON meta
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER org_unit_insert_generation AFTER INSERT ON org_unit
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER org_unit_update_generation AFTER UPDATE ON org_unit
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER org_unit_delete_generation AFTER DELETE ON org_unit
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER initiative_insert_generation AFTER INSERT ON initiative
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER initiative_update_generation AFTER UPDATE ON initiative
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER initiative_delete_generation AFTER DELETE ON initiative
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER district_insert_generation AFTER INSERT ON district
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER district_update_generation AFTER UPDATE ON district
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER district_delete_generation AFTER DELETE ON district
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER area_insert_generation AFTER INSERT ON area
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER area_update_generation AFTER UPDATE ON area
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER area_delete_generation AFTER DELETE ON area
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER criterion_insert_generation AFTER INSERT ON criterion
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER criterion_update_generation AFTER UPDATE ON criterion
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER criterion_delete_generation AFTER DELETE ON criterion
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER budget_line_insert_generation AFTER INSERT ON budget_line
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER budget_line_update_generation AFTER UPDATE ON budget_line
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER budget_line_delete_generation AFTER DELETE ON budget_line
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER budget_cell_insert_generation AFTER INSERT ON budget_cell
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER budget_cell_update_generation AFTER UPDATE ON budget_cell
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER budget_cell_delete_generation AFTER DELETE ON budget_cell
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER budget_actual_insert_generation AFTER INSERT ON budget_actual
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER budget_actual_update_generation AFTER UPDATE ON budget_actual
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER budget_actual_delete_generation AFTER DELETE ON budget_actual
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER code_list_insert_generation AFTER INSERT ON code_list
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER code_list_update_generation AFTER UPDATE ON code_list
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER code_list_delete_generation AFTER DELETE ON code_list
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER indicator_entry_insert_generation AFTER INSERT ON indicator_entry
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER indicator_entry_update_generation AFTER UPDATE ON indicator_entry
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER indicator_entry_delete_generation AFTER DELETE ON indicator_entry
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER index_config_insert_generation AFTER INSERT ON index_config
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER index_config_update_generation AFTER UPDATE ON index_config
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER index_config_delete_generation AFTER DELETE ON index_config
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER area_year_insert_generation AFTER INSERT ON area_year
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER area_year_update_generation AFTER UPDATE ON area_year
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER area_year_delete_generation AFTER DELETE ON area_year
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER area_assessment_insert_generation AFTER INSERT ON area_assessment
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER area_assessment_update_generation AFTER UPDATE ON area_assessment
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER area_assessment_delete_generation AFTER DELETE ON area_assessment
BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
