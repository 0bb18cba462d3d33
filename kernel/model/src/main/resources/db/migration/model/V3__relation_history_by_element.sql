-- The relations of one element at an earlier revision: its outgoing rows by the primary key's first
-- column, its incoming rows by their own index. The key keeps the same columns in another order.
ALTER TABLE mandate_model_relation DROP CONSTRAINT IF EXISTS pk_mandate_model_relation;
ALTER TABLE mandate_model_relation ADD CONSTRAINT pk_mandate_model_relation PRIMARY KEY (from_id, to_id, rel_type, revision);
CREATE INDEX IF NOT EXISTS ix_mandate_model_relation_to ON mandate_model_relation (to_id);
