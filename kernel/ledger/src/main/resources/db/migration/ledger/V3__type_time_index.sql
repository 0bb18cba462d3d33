-- Counting and querying by record type over a time window (the conformance self-assessment, GET /evidence?type=&from=)
-- reads this index instead of every record. Re-runnable; portable between H2 2.x and PostgreSQL 14.
CREATE INDEX IF NOT EXISTS ix_mandate_evidence_type_time ON mandate_evidence (record_type, recorded_at);
