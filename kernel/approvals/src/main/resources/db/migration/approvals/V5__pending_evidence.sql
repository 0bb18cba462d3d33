-- A step's ledger record that is owed: written in the same row change as the step (an approval with its
-- outcome and grant), cleared once the ledger took it. A node whose append failed leaves it here; every
-- node's sweep writes what is due (evidence_due, pushed forward by the node that takes it, so one node
-- writes it at a time) until the ledger takes it.
ALTER TABLE mandate_approvals ADD COLUMN IF NOT EXISTS pending_evidence TEXT;
ALTER TABLE mandate_approvals ADD COLUMN IF NOT EXISTS evidence_due TIMESTAMP;
CREATE INDEX IF NOT EXISTS ix_mandate_approvals_evidence_due ON mandate_approvals (evidence_due);
