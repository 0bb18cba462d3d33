-- Relation versions are found by their source only: the index on the target's hash (one random-key
-- entry per relation version, 2.2 per element of a typical estate) goes. The relations entering an
-- element at an earlier revision come from the relations entering it now (the in-memory index) and
-- from the relations that entered it and were closed since, listed here by the target's hash; each
-- is then read by its source. A commit that closes a relation version adds its row here.
-- Re-runnable: the rows are derived afresh from the closed relation versions, which stay where they are.
CREATE TABLE IF NOT EXISTS mandate_model_relation_closed (
    to_hash  BIGINT        NOT NULL,
    from_id  VARCHAR(1024) NOT NULL,
    valid_to BIGINT        NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_mandate_model_relation_closed_to ON mandate_model_relation_closed (to_hash);
DELETE FROM mandate_model_relation_closed;
INSERT INTO mandate_model_relation_closed (to_hash, from_id, valid_to)
    SELECT to_hash, from_id, valid_to FROM mandate_model_relation_version WHERE valid_to IS NOT NULL;
DROP INDEX IF EXISTS ix_mandate_model_relation_version_to;
