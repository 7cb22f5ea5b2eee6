-- TeaTrace schema 2: the RFC 9162 tree over the ledger, signed checkpoints, and audit runs.

-- The hash of every complete (perfect) subtree: the node at level L, index i covers leaves [i·2^L, (i+1)·2^L).
-- Proofs read O(log n) of these; an append writes the leaf and the nodes it completes (two rows on average).
CREATE TABLE merkle_nodes (
    level  INTEGER NOT NULL CHECK (level BETWEEN 0 AND 62),
    idx    INTEGER NOT NULL CHECK (idx >= 0),
    hash   BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TRIGGER merkle_nodes_no_update BEFORE UPDATE ON merkle_nodes
BEGIN
    SELECT RAISE(ABORT, 'tree nodes are append-only');
END;

CREATE TRIGGER merkle_nodes_no_delete BEFORE DELETE ON merkle_nodes
BEGIN
    SELECT RAISE(ABORT, 'tree nodes are append-only');
END;

-- Every signed checkpoint is kept: the C2SP signed note exactly as served.
CREATE TABLE checkpoints (
    size          INTEGER PRIMARY KEY CHECK (size > 0),
    root_hash     BLOB NOT NULL CHECK (length(root_hash) = 32),
    note          TEXT NOT NULL,
    verifier_key  TEXT NOT NULL,
    signed_at     TEXT NOT NULL
);

CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;

CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;

-- The result of each audit the service ran on itself (nightly, or asked for).
CREATE TABLE audit_runs (
    id               INTEGER PRIMARY KEY,
    started_at       TEXT NOT NULL,
    finished_at      TEXT NOT NULL,
    ok               INTEGER NOT NULL CHECK (ok IN (0, 1)),
    entries          INTEGER NOT NULL,
    checkpoints      INTEGER NOT NULL,
    first_bad_index  INTEGER,
    detail           TEXT,
    trigger          TEXT NOT NULL
);
