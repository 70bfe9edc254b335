-- The enrollment that owns a follow-up (its caseworker code and centre), stored so that the
-- worklist is one indexed join instead of resolving every follow-up on every query
-- (BENCHMARKS.md, "Worklist"). Kept by `cases::follow_ups::assign_owning_enrollments`, which
-- every case write, follow-up sync and import runs in its own transaction; this backfills it once
-- with the same rule.
ALTER TABLE follow_up ADD COLUMN enrollment_id TEXT;
UPDATE follow_up SET enrollment_id = CASE follow_up.anchor
    WHEN 'forloeb_slut' THEN (SELECT e.id FROM enrollment e WHERE e.id = follow_up.anchor_id)
    WHEN 'loesladelse' THEN (
        SELECT MIN(e.id) FROM life_event ev JOIN enrollment e ON e.citizen_id = ev.citizen_id
            AND e.start_date <= ev.event_date AND (e.end_date IS NULL OR ev.event_date <= e.end_date)
        WHERE ev.id = follow_up.anchor_id)
    ELSE (SELECT o.enrollment_id FROM offer o WHERE o.id = follow_up.anchor_id)
END;
-- The worklist reads open follow-ups by due date.
CREATE INDEX follow_up_open_due ON follow_up (due_date) WHERE done_date IS NULL;
CREATE INDEX follow_up_enrollment ON follow_up (enrollment_id);
