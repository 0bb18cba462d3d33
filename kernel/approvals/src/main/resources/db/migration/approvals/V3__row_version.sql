-- Several nodes may share this table. Every change of a request is conditional on the row version it
-- read (so a request is decided once, whichever node asks), and carries the database's time of the
-- change and the node that made it, so that each node reads back what the others changed, and only that.
ALTER TABLE mandate_approvals ADD COLUMN IF NOT EXISTS row_version BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE mandate_approvals ADD COLUMN IF NOT EXISTS changed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE mandate_approvals ADD COLUMN IF NOT EXISTS changed_by VARCHAR(64);
CREATE INDEX IF NOT EXISTS ix_mandate_approvals_changed ON mandate_approvals (changed_at);
