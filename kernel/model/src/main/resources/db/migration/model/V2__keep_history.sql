-- History: every row is valid from its revision up to, not including, valid_to. The current model is
-- the rows without valid_to; a commit closes the rows it replaces instead of deleting them, so that
-- the model at an earlier revision can be read back until retention prunes it.
ALTER TABLE mandate_model_element ADD COLUMN IF NOT EXISTS valid_to BIGINT;
ALTER TABLE mandate_model_element DROP CONSTRAINT IF EXISTS pk_mandate_model_element;
ALTER TABLE mandate_model_element ADD CONSTRAINT pk_mandate_model_element PRIMARY KEY (id, revision);

ALTER TABLE mandate_model_layer ADD COLUMN IF NOT EXISTS valid_to BIGINT;
ALTER TABLE mandate_model_layer DROP CONSTRAINT IF EXISTS pk_mandate_model_layer;
ALTER TABLE mandate_model_layer ADD CONSTRAINT pk_mandate_model_layer PRIMARY KEY (element_id, revision, layer_name);

ALTER TABLE mandate_model_relation ADD COLUMN IF NOT EXISTS valid_to BIGINT;
ALTER TABLE mandate_model_relation DROP CONSTRAINT IF EXISTS pk_mandate_model_relation;
ALTER TABLE mandate_model_relation ADD CONSTRAINT pk_mandate_model_relation PRIMARY KEY (rel_type, from_id, to_id, revision);
