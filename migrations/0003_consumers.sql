-- TeaTrace schema 3: consumer scans, recalls.

-- Every scan of a package's code, including codes that were never issued (evidence of copying).
-- client_hash is a salted hash of the client (address and browser), never the address itself.
CREATE TABLE scans (
    id           INTEGER PRIMARY KEY,
    token        TEXT NOT NULL UNIQUE,
    serial       TEXT NOT NULL,
    gtin         TEXT NOT NULL,
    lot_code     TEXT,
    issued       INTEGER NOT NULL CHECK (issued IN (0, 1)),
    at           TEXT NOT NULL,
    client_hash  TEXT NOT NULL,
    latitude     REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude    REAL CHECK (longitude BETWEEN -180 AND 180)
);
CREATE INDEX scans_serial ON scans (serial, at);
CREATE INDEX scans_located ON scans (serial, at) WHERE latitude IS NOT NULL;

-- Running totals per serial, kept with each scan, so a much-copied code costs no more to answer than a fresh one.
CREATE TABLE scan_stats (
    serial    TEXT PRIMARY KEY,
    scans     INTEGER NOT NULL,
    clients   INTEGER NOT NULL,
    located   INTEGER NOT NULL DEFAULT 0,
    first_at  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE scan_clients (
    serial       TEXT NOT NULL,
    client_hash  TEXT NOT NULL,
    PRIMARY KEY (serial, client_hash)
) WITHOUT ROWID;

CREATE TABLE recalls (
    id           TEXT PRIMARY KEY,
    scope        TEXT NOT NULL CHECK (scope IN ('harvest', 'batch', 'lot')),
    subject_id   TEXT NOT NULL,
    reason       TEXT NOT NULL,
    recalled_at  TEXT NOT NULL
);

CREATE TABLE recall_lots (
    recall_id  TEXT NOT NULL REFERENCES recalls (id),
    lot_id     TEXT NOT NULL REFERENCES lots (id),
    units      INTEGER NOT NULL,
    PRIMARY KEY (recall_id, lot_id)
);
CREATE INDEX recall_lots_lot ON recall_lots (lot_id);

-- Units change state (issued → recalled, sold, destroyed) but are never deleted.
CREATE TRIGGER units_no_delete BEFORE DELETE ON units
BEGIN
    SELECT RAISE(ABORT, 'units are never deleted; one code per unit, never reassigned');
END;

CREATE TRIGGER units_serial_fixed BEFORE UPDATE OF serial, lot_id, seq ON units
BEGIN
    SELECT RAISE(ABORT, 'a unit keeps its serial and lot for ever');
END;

-- Secrets the service makes for itself on first start (the salt for hashing scan clients).
CREATE TABLE service_secrets (
    name   TEXT PRIMARY KEY,
    value  BLOB NOT NULL
);
