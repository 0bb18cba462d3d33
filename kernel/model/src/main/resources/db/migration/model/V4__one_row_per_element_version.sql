-- One row per element version, its layers as one JSON object (half the rows of V3's element and
-- layer tables), and history tables without unique keys: the store writes each (element, revision)
-- and (relation, revision) once, so a uniqueness search on every insert bought nothing. Lookups go
-- through non-unique indexes on a 64-bit hash of the element id (IdHash), short keys that stay
-- cheap to write when ids arrive in random order; the queries compare the id itself as well.
-- The store carries the rows of V1-V3's tables over when it starts (ModelRepository), in one
-- transaction that also empties those tables; they stay behind, empty.
CREATE TABLE IF NOT EXISTS mandate_model_element_version (
    id          VARCHAR(1024)    NOT NULL,
    id_hash     BIGINT           NOT NULL,
    kind        VARCHAR(256)     NOT NULL,
    provider    VARCHAR(128)     NOT NULL,
    environment VARCHAR(128),
    trust_zone  VARCHAR(128),
    owner_team  VARCHAR(256),
    labels      TEXT             NOT NULL,
    layers      VARCHAR(1000000) NOT NULL,
    revision    BIGINT           NOT NULL,
    valid_to    BIGINT
);
CREATE INDEX IF NOT EXISTS ix_mandate_model_element_version_id ON mandate_model_element_version (id_hash);

CREATE TABLE IF NOT EXISTS mandate_model_relation_version (
    rel_type   VARCHAR(32)   NOT NULL,
    from_id    VARCHAR(1024) NOT NULL,
    from_hash  BIGINT        NOT NULL,
    to_id      VARCHAR(1024) NOT NULL,
    to_hash    BIGINT        NOT NULL,
    properties TEXT          NOT NULL,
    revision   BIGINT        NOT NULL,
    valid_to   BIGINT
);
CREATE INDEX IF NOT EXISTS ix_mandate_model_relation_version_from ON mandate_model_relation_version (from_hash);
CREATE INDEX IF NOT EXISTS ix_mandate_model_relation_version_to ON mandate_model_relation_version (to_hash);
