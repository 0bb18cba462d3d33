-- The evidence ledger: one row per record, chained by SHA-256 (see EvidenceLedgerImpl for the hash input).
-- Portable between H2 2.2 and PostgreSQL 14; payload is canonical JSON text; recorded_at is UTC, millisecond precision.

CREATE TABLE IF NOT EXISTS mandate_evidence (
    seq            BIGINT       NOT NULL,
    record_type    VARCHAR(128) NOT NULL,
    recorded_at    TIMESTAMP    NOT NULL,
    model_revision BIGINT       NOT NULL,
    payload        TEXT         NOT NULL,
    previous_hash  VARCHAR(80)  NOT NULL,
    record_hash    VARCHAR(80)  NOT NULL,
    CONSTRAINT pk_mandate_evidence PRIMARY KEY (seq)
);
