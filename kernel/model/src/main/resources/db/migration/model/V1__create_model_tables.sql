-- The canonical model: elements, their layers, relations and the revision log.
-- Portable between H2 2.2 and PostgreSQL 14: TEXT, VARCHAR, BIGINT, INTEGER, TIMESTAMP; JSON is stored as text.
-- Timestamps are UTC.

CREATE TABLE IF NOT EXISTS mandate_model_element (
    id          VARCHAR(1024) NOT NULL,
    kind        VARCHAR(256)  NOT NULL,
    provider    VARCHAR(128)  NOT NULL,
    environment VARCHAR(128),
    trust_zone  VARCHAR(128),
    owner_team  VARCHAR(256),
    labels      TEXT          NOT NULL,
    revision    BIGINT        NOT NULL,
    CONSTRAINT pk_mandate_model_element PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS mandate_model_layer (
    element_id   VARCHAR(1024) NOT NULL,
    layer_name   VARCHAR(16)   NOT NULL,
    source       VARCHAR(512)  NOT NULL,
    observed_at  TIMESTAMP     NOT NULL,
    content_hash VARCHAR(80)   NOT NULL,
    attributes   TEXT          NOT NULL,
    revision     BIGINT        NOT NULL,
    CONSTRAINT pk_mandate_model_layer PRIMARY KEY (element_id, layer_name)
);

CREATE TABLE IF NOT EXISTS mandate_model_relation (
    rel_type   VARCHAR(32)   NOT NULL,
    from_id    VARCHAR(1024) NOT NULL,
    to_id      VARCHAR(1024) NOT NULL,
    properties TEXT          NOT NULL,
    revision   BIGINT        NOT NULL,
    CONSTRAINT pk_mandate_model_relation PRIMARY KEY (rel_type, from_id, to_id)
);

CREATE TABLE IF NOT EXISTS mandate_model_revision (
    revision          BIGINT       NOT NULL,
    committed_at      TIMESTAMP    NOT NULL,
    source            VARCHAR(512) NOT NULL,
    layer_name        VARCHAR(16)  NOT NULL,
    upserts           INTEGER      NOT NULL,
    removals          INTEGER      NOT NULL,
    relation_upserts  INTEGER      NOT NULL,
    relation_removals INTEGER      NOT NULL,
    rejected          INTEGER      NOT NULL,
    CONSTRAINT pk_mandate_model_revision PRIMARY KEY (revision)
);
