-- C1–C10 of DOMAIN.md §7, written in set-based SQL from the specification alone, as an
-- independent check on the criteria engine (crates/domain/src/engine). One statement; one row per
-- criterion (grp IS NULL) and one per criterion and centre (the særtræk by centre).
--
-- Portable across SQLite, PostgreSQL and DuckDB: the few dialect-specific expressions are macros
-- that the caller expands before running it (crates/app/tests/sql/mod.rs for SQLite and
-- PostgreSQL, bench/duckdb_criteria.py for DuckDB):
--   PLUS3(col), PLUS12(col)  col + 3 / 12 calendar months, a day that does not exist clamped to
--                            the month's last day (30 Nov + 3 = 28/29 Feb)
--   DAYNUM(x)                x as a day number, for counting days
--   ROWORDER(alias)          the order that breaks same-day ties: the record's id in byte order
--                            (the DuckDB benchmark uses the file order, as its loader does)
--   :from :to :as_of :last   the period, the as-of date, and min(to, as_of)
-- Dates are ISO text in SQLite and PostgreSQL (compared as text) and DATE in DuckDB.
--
-- Reading of the specification, where it needs one:
--   * "as of A": nothing dated after A is known, so anchors count when in [from, min(to, A)],
--     and a follow-up, end date or event counts only when its date is <= A;
--   * outcome of a cohort member: S success, F failure, U unknown (follow-up due by A but not
--     done by A), N not yet due (window still open at A, no success seen): all four are in the
--     denominator, only S in the numerator, only U in `unknown` (DATA-FORMATS "Results");
--   * the "first qualifying anchor" per citizen is the earliest date. The specification leaves a
--     tie on the same day open (two LAB offers of one enrollment ending together, with different
--     follow-ups: C9 is 1/1 or 0/1); Sikker By breaks it by the record's id in byte order (the
--     engine's loaders read rows in id order), so the SQL orders ties by ROWORDER = id.
--
-- Output columns: criterion, grp (NULL = all; else the centre), successes, members, unknown,
-- pending (N members), and for C7 successes = active enrollment-days, members = days.
WITH RECURSIVE
lab_type AS (SELECT code FROM code_list WHERE list = 'offer_type' AND lab = 1),
positive_end AS (SELECT code FROM code_list WHERE list = 'end_reason' AND positive = 1),
positive_status AS (SELECT code FROM code_list WHERE list = 'follow_up_status' AND positive = 1),
enr AS (
    SELECT e.id, e.citizen_id, e.initiative_code, e.start_date, e.end_date,
           CASE WHEN e.end_reason IN (SELECT code FROM positive_end) THEN 1 ELSE 0 END AS positive_end,
           CASE WHEN UPPER(e.lead) = 'BIF' THEN 1 ELSE 0 END AS bif,
           COALESCE(NULLIF(e.centre, ''), '(ikke registreret)') AS centre,
           ROWORDER(e) AS tie_order
    FROM enrollment e
),
-- A follow-up as known on the as-of date: S/F once done by A, else NULL (not recorded yet).
fu AS (
    SELECT f.anchor, f.anchor_id, f.due_date,
           CASE WHEN f.done_date IS NULL OR f.done_date > :as_of THEN NULL
                WHEN f.status IN (SELECT code FROM positive_status) THEN 'S'
                ELSE 'F' END AS done_outcome
    FROM follow_up f
),
lab_offer AS (
    SELECT o.id, o.enrollment_id, o.start_date, o.end_date, ROWORDER(o) AS tie_order
    FROM offer o WHERE o.offer_type IN (SELECT code FROM lab_type)
),

-- C1, C3: citizens with an offer starting in the window inside an SSPPLUS (BIF-led) / DOMTE
-- enrollment; the citizen's earliest such offer places them in a centre.
offer_starts AS (
    SELECT CASE WHEN e.initiative_code = 'SSPPLUS' THEN 'C1' ELSE 'C3' END AS criterion,
           e.citizen_id, e.centre, o.start_date,
           ROW_NUMBER() OVER (PARTITION BY e.initiative_code, e.citizen_id
                              ORDER BY o.start_date, e.tie_order, ROWORDER(o)) AS nth
    FROM offer o JOIN enr e ON e.id = o.enrollment_id
    WHERE ((e.initiative_code = 'SSPPLUS' AND e.bif = 1) OR e.initiative_code = 'DOMTE')
      AND o.start_date >= :from AND o.start_date <= :last
),
c1_c3 AS (SELECT criterion, centre, 'S' AS outcome FROM offer_starts WHERE nth = 1),

-- C2: the first BIF-led SSPPLUS enrollment of each citizen, ever; cohort = those starting in
-- the window; success = job/education start or a positive SSPPLUS end in [anchor, anchor + 12].
c2_first AS (
    SELECT citizen_id, start_date AS anchor, centre,
           ROW_NUMBER() OVER (PARTITION BY citizen_id ORDER BY start_date, tie_order) AS nth
    FROM enr WHERE initiative_code = 'SSPPLUS' AND bif = 1
),
c2_cohort AS (
    SELECT citizen_id, anchor, centre, PLUS12(anchor) AS closes
    FROM c2_first WHERE nth = 1 AND anchor >= :from AND anchor <= :last
),
c2_success AS (
    SELECT k.citizen_id FROM c2_cohort k JOIN life_event v ON v.citizen_id = k.citizen_id
    WHERE v.kind IN ('job_start', 'uddannelse_start')
      AND v.event_date >= k.anchor AND v.event_date <= k.closes AND v.event_date <= :as_of
    UNION
    SELECT k.citizen_id FROM c2_cohort k JOIN enr e ON e.citizen_id = k.citizen_id
    WHERE e.initiative_code = 'SSPPLUS' AND e.positive_end = 1
      AND e.end_date >= k.anchor AND e.end_date <= k.closes AND e.end_date <= :as_of
),
c2 AS (
    SELECT 'C2' AS criterion, k.centre,
           CASE WHEN s.citizen_id IS NOT NULL THEN 'S'
                WHEN k.closes <= :as_of THEN 'F' ELSE 'N' END AS outcome
    FROM c2_cohort k LEFT JOIN c2_success s ON s.citizen_id = k.citizen_id
),

-- C4: the first release in the window on a day with an active DOMTE enrollment.
c4_anchor AS (
    SELECT v.citizen_id, v.id AS event_id, v.event_date AS anchor, e.centre,
           ROW_NUMBER() OVER (PARTITION BY v.citizen_id
                              ORDER BY v.event_date, e.tie_order, ROWORDER(v)) AS nth
    FROM life_event v
    JOIN enr e ON e.citizen_id = v.citizen_id AND e.initiative_code = 'DOMTE'
              AND e.start_date <= v.event_date
              AND (e.end_date IS NULL OR v.event_date <= e.end_date)
    WHERE v.kind = 'loesladelse' AND v.event_date >= :from AND v.event_date <= :last
),
c4_member AS (SELECT event_id, anchor, centre, PLUS3(anchor) AS plus3 FROM c4_anchor WHERE nth = 1),
c4 AS (
    SELECT 'C4' AS criterion, m.centre,
           COALESCE(f.done_outcome,
                    CASE WHEN COALESCE(f.due_date, m.plus3) <= :as_of THEN 'U' ELSE 'N' END) AS outcome
    FROM c4_member m LEFT JOIN fu f ON f.anchor = 'loesladelse' AND f.anchor_id = m.event_id
),

-- C5: citizens placed in a leisure job in the window; C6: each placement, still going 3 months on.
placed AS (
    SELECT p.citizen_id, p.start_date, p.end_date, PLUS3(p.start_date) AS closes,
           ROW_NUMBER() OVER (PARTITION BY p.citizen_id ORDER BY p.start_date) AS nth
    FROM placement p WHERE p.start_date >= :from AND p.start_date <= :last
),
c5_c6 AS (
    SELECT 'C5' AS criterion, '(ikke registreret)' AS centre, 'S' AS outcome FROM placed WHERE nth = 1
    UNION ALL
    SELECT 'C6', '(ikke registreret)',
           CASE WHEN end_date IS NOT NULL AND end_date <= :as_of AND end_date < closes THEN 'F'
                WHEN closes <= :as_of THEN 'S' ELSE 'N' END
    FROM placed
),

-- C8: EXIT participants in the window; success = a LAB offer in one of those enrollments that
-- started by the window's last day (possibly before the period).
c8 AS (
    SELECT 'C8' AS criterion, '(alle)' AS centre,
           CASE WHEN MAX(CASE WHEN o.id IS NOT NULL THEN 1 ELSE 0 END) = 1 THEN 'S' ELSE 'F' END AS outcome
    FROM enr e LEFT JOIN lab_offer o ON o.enrollment_id = e.id AND o.start_date <= :last
    WHERE e.initiative_code = 'EXIT' AND e.start_date <= :last
      AND (e.end_date IS NULL OR e.end_date >= :from)
    GROUP BY e.citizen_id
),

-- C9: the first end of a LAB offer in an EXIT enrollment in the window; its tilbud_slut follow-up.
c9_anchor AS (
    SELECT o.id AS offer_id, o.end_date AS anchor, e.centre,
           ROW_NUMBER() OVER (PARTITION BY e.citizen_id
                              ORDER BY o.end_date, e.tie_order, o.tie_order) AS nth
    FROM lab_offer o JOIN enr e ON e.id = o.enrollment_id
    WHERE e.initiative_code = 'EXIT' AND o.end_date >= :from AND o.end_date <= :last
),
c9_member AS (SELECT offer_id, anchor, centre, PLUS3(anchor) AS plus3 FROM c9_anchor WHERE nth = 1),
c9 AS (
    SELECT 'C9' AS criterion, m.centre,
           COALESCE(f.done_outcome,
                    CASE WHEN COALESCE(f.due_date, m.plus3) <= :as_of THEN 'U' ELSE 'N' END) AS outcome
    FROM c9_member m LEFT JOIN fu f ON f.anchor = 'tilbud_slut' AND f.anchor_id = m.offer_id
),

-- C10: the first start of a LAB offer in an UDGAAENDE enrollment in the window; success = its
-- tilbud_start follow-up positive, or the enrollment ended in job/education by anchor + 3 months.
c10_anchor AS (
    SELECT o.id AS offer_id, o.start_date AS anchor, e.centre, e.end_date, e.positive_end,
           ROW_NUMBER() OVER (PARTITION BY e.citizen_id
                              ORDER BY o.start_date, e.tie_order, o.tie_order) AS nth
    FROM lab_offer o JOIN enr e ON e.id = o.enrollment_id
    WHERE e.initiative_code = 'UDGAAENDE' AND o.start_date >= :from AND o.start_date <= :last
),
c10_member AS (
    SELECT offer_id, anchor, centre, end_date, positive_end, PLUS3(anchor) AS plus3
    FROM c10_anchor WHERE nth = 1
),
c10 AS (
    SELECT 'C10' AS criterion, m.centre,
           CASE WHEN m.positive_end = 1 AND m.end_date <= m.plus3 AND m.end_date <= :as_of THEN 'S'
                ELSE COALESCE(f.done_outcome,
                              CASE WHEN COALESCE(f.due_date, m.plus3) <= :as_of THEN 'U' ELSE 'N' END)
           END AS outcome
    FROM c10_member m LEFT JOIN fu f ON f.anchor = 'tilbud_start' AND f.anchor_id = m.offer_id
),

members AS (
    SELECT criterion, centre, outcome FROM c1_c3
    UNION ALL SELECT criterion, centre, outcome FROM c2
    UNION ALL SELECT criterion, centre, outcome FROM c4
    UNION ALL SELECT criterion, centre, outcome FROM c5_c6
    UNION ALL SELECT criterion, centre, outcome FROM c8
    UNION ALL SELECT criterion, centre, outcome FROM c9
    UNION ALL SELECT criterion, centre, outcome FROM c10
),

-- C7: count the active EXIT enrollments on each day of [from, last] and add them up; a
-- different route from the engine's overlap arithmetic.
days (d) AS (
    SELECT DAYNUM(:from) WHERE DAYNUM(:from) <= DAYNUM(:last)
    UNION ALL
    SELECT d + 1 FROM days WHERE d < DAYNUM(:last)
),
exit_days AS (
    SELECT e.centre, x.d
    FROM enr e JOIN days x ON DAYNUM(e.start_date) <= x.d
                          AND (e.end_date IS NULL OR DAYNUM(e.end_date) >= x.d)
    WHERE e.initiative_code = 'EXIT'
)

SELECT criterion, CAST(NULL AS TEXT) AS grp,
       SUM(CASE WHEN outcome = 'S' THEN 1 ELSE 0 END) AS successes, COUNT(*) AS members,
       SUM(CASE WHEN outcome = 'U' THEN 1 ELSE 0 END) AS unknown,
       SUM(CASE WHEN outcome = 'N' THEN 1 ELSE 0 END) AS pending
FROM members GROUP BY criterion
UNION ALL
SELECT criterion, centre,
       SUM(CASE WHEN outcome = 'S' THEN 1 ELSE 0 END), COUNT(*),
       SUM(CASE WHEN outcome = 'U' THEN 1 ELSE 0 END),
       SUM(CASE WHEN outcome = 'N' THEN 1 ELSE 0 END)
FROM members WHERE criterion <> 'C8' GROUP BY criterion, centre
UNION ALL
SELECT 'C7', CAST(NULL AS TEXT), (SELECT COUNT(*) FROM exit_days), (SELECT COUNT(*) FROM days), 0, 0
UNION ALL
SELECT 'C7', centre, COUNT(*), (SELECT COUNT(*) FROM days), 0, 0 FROM exit_days GROUP BY centre
