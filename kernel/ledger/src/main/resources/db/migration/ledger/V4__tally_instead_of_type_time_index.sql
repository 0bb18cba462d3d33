-- Records counted per type and hour, with each (type, hour)'s first and last sequence: the ledger keeps it in the
-- transaction that inserts (and prunes) the records, and counts and reads by type and time through it
-- (see EvidenceTally). It replaces the (record_type, recorded_at) index of V3, which about doubled H2's work
-- per inserted record. Re-runnable: the tally is filled afresh from the records each time this script runs.
-- Portable between H2 2.x and PostgreSQL 14.
CREATE TABLE IF NOT EXISTS mandate_evidence_tally (
    record_type  VARCHAR(128) NOT NULL,
    hour_start   TIMESTAMP    NOT NULL,
    record_count BIGINT       NOT NULL,
    first_seq    BIGINT       NOT NULL,
    last_seq     BIGINT       NOT NULL,
    CONSTRAINT pk_mandate_evidence_tally PRIMARY KEY (record_type, hour_start)
);
CREATE INDEX IF NOT EXISTS ix_mandate_evidence_tally_hour ON mandate_evidence_tally (hour_start);
DELETE FROM mandate_evidence_tally;
INSERT INTO mandate_evidence_tally (record_type, hour_start, record_count, first_seq, last_seq)
    SELECT record_type, DATE_TRUNC('hour', recorded_at), COUNT(*), MIN(seq), MAX(seq)
    FROM mandate_evidence GROUP BY record_type, DATE_TRUNC('hour', recorded_at);
DROP INDEX IF EXISTS ix_mandate_evidence_type_time;
