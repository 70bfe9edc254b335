-- Loads the OPERA case extract (DATA-FORMATS.md) into DuckDB tables shaped like the store's
-- (crates/store/migrations/sqlite/0002_cases.sql), so that crates/app/tests/sql/criteria.sql runs
-- on them unchanged. Dates become DATE; the citizen's id is the CPR number. Rows keep the files'
-- order (DuckDB preserves insertion order), which is the order the engine reads them in.
-- {dir} is the opera/ folder and {delim} its delimiter; bench/duckdb_criteria.py fills them in.
CREATE TABLE citizen AS
SELECT cpr AS id, omraade AS area_id
FROM read_csv('{dir}/borgere.csv', delim = '{delim}', header = true, all_varchar = true);

CREATE TABLE enrollment AS
SELECT forloeb_id AS id, cpr AS citizen_id, indsats AS initiative_code,
       CAST("start" AS DATE) AS start_date, CAST(slut AS DATE) AS end_date,
       afslutningsaarsag AS end_reason, tovholder AS lead, sagsbehandlerkode AS caseworker_code,
       center AS centre
FROM read_csv('{dir}/forloeb.csv', delim = '{delim}', header = true, all_varchar = true);

CREATE TABLE offer AS
SELECT tilbud_id AS id, forloeb_id AS enrollment_id, tilbudstype AS offer_type,
       CAST("start" AS DATE) AS start_date, CAST(slut AS DATE) AS end_date,
       afslutningsaarsag AS end_reason
FROM read_csv('{dir}/tilbud.csv', delim = '{delim}', header = true, all_varchar = true);

CREATE TABLE placement AS
SELECT fritidsjob_id AS id, cpr AS citizen_id, CAST("start" AS DATE) AS start_date,
       CAST(slut AS DATE) AS end_date
FROM read_csv('{dir}/fritidsjob.csv', delim = '{delim}', header = true, all_varchar = true);

CREATE TABLE life_event AS
SELECT haendelse_id AS id, cpr AS citizen_id, haendelse AS kind, CAST(dato AS DATE) AS event_date
FROM read_csv('{dir}/haendelser.csv', delim = '{delim}', header = true, all_varchar = true);

CREATE TABLE follow_up AS
SELECT opfoelgning_id AS id, cpr AS citizen_id, anker AS anchor, anker_id AS anchor_id,
       CAST(forfald AS DATE) AS due_date, CAST(udfoert AS DATE) AS done_date, status
FROM read_csv('{dir}/opfoelgninger.csv', delim = '{delim}', header = true, all_varchar = true);
