-- Several nodes may share this table. Every change of a request is conditional on the row version it
-- read (so a request is decided once, whichever node asks), and carries the database's time of the
-- change, so that each node sees what the others changed without reading every open request.
ALTER TABLE mandate_approvals ADD COLUMN IF NOT EXISTS row_version BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE mandate_approvals ADD COLUMN IF NOT EXISTS changed_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX IF NOT EXISTS ix_mandate_approvals_changed ON mandate_approvals (changed_at);
