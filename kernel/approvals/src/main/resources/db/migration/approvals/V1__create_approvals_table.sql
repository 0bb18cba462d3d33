-- The approval queue: the queryable columns beside the whole request as JSON.
-- IF NOT EXISTS: the table was created without a version table before migrations existed.
CREATE TABLE IF NOT EXISTS mandate_approvals (
  id VARCHAR(64) NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  document TEXT NOT NULL,
  CONSTRAINT pk_mandate_approvals PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_mandate_approvals_status ON mandate_approvals (status, expires_at);
