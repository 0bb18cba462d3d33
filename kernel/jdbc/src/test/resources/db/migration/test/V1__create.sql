-- a comment line
CREATE TABLE t_one (
    id INTEGER NOT NULL
);
INSERT INTO t_one (id) VALUES (1);
