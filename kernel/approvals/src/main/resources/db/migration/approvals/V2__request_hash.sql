-- The content hash of what an approval request asks for (actor, changes, approvers), so that the
-- same request asked again while one is open finds it instead of opening another.
ALTER TABLE mandate_approvals ADD COLUMN IF NOT EXISTS request_hash VARCHAR(80);
CREATE INDEX IF NOT EXISTS ix_mandate_approvals_hash ON mandate_approvals (request_hash, status);
