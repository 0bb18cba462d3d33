-- The commit journal: a commit writes its history rows as one entry here (split into parts of at
-- most 1 MiB), in the transaction that also writes its revision row, and a later transaction turns
-- the entry into rows of the history tables and deletes it. The store reads an entry not yet turned
-- into rows from memory, and a start turns what a stopped or killed run left into rows before it
-- reads the current model. BYTEA is H2's BINARY VARYING and PostgreSQL's binary string.
CREATE TABLE IF NOT EXISTS mandate_model_journal (
    revision BIGINT  NOT NULL,
    part     INTEGER NOT NULL,
    changes  BYTEA   NOT NULL,
    CONSTRAINT pk_mandate_model_journal PRIMARY KEY (revision, part)
);
