-- The history as sorted runs (the commit journal's successor, RunHistory): a commit writes its
-- element and relation versions as one run of binary blocks sorted by the id they are found under,
-- in the transaction of its revision row; runs are merged in the background. No secondary index:
-- every write is under a sequential key. A run exists once its row does; blocks without a run row
-- (a merge cut short) are deleted at the next start. Block -1 of a run is its directory (each
-- block's first and last id hash); a block longer than a part is split over several parts.
-- A store that keeps history as runs carries the V4-V6 version rows (and V5 journal entries) over
-- when it starts, in one transaction that also empties those tables; one that keeps rows carries
-- runs back to rows. Re-runnable.
CREATE TABLE IF NOT EXISTS mandate_model_history_run (
    run_id         BIGINT  NOT NULL,
    level          INTEGER NOT NULL,
    first_revision BIGINT  NOT NULL,
    last_revision  BIGINT  NOT NULL,
    records        BIGINT  NOT NULL,
    bytes          BIGINT  NOT NULL,
    CONSTRAINT pk_mandate_model_history_run PRIMARY KEY (run_id)
);
CREATE TABLE IF NOT EXISTS mandate_model_history_block (
    run_id BIGINT  NOT NULL,
    block  INTEGER NOT NULL,
    part   INTEGER NOT NULL,
    data   BYTEA   NOT NULL,
    CONSTRAINT pk_mandate_model_history_block PRIMARY KEY (run_id, block, part)
);
