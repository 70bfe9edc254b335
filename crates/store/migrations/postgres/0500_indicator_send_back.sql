-- An indicator entry can be sent back by the reviewer with a comment instead of approved
-- (docs/indicators.md): it then counts for nothing until the person entering corrects it,
-- which clears these three and makes it await approval again. The history stays in the audit log.
ALTER TABLE indicator_entry ADD COLUMN sent_back_by TEXT;
ALTER TABLE indicator_entry ADD COLUMN sent_back_at TEXT;
ALTER TABLE indicator_entry ADD COLUMN sent_back_comment TEXT;
