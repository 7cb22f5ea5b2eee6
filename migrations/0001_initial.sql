-- TeaTrace schema 1: organisations and keys, gardens, processing, lots and units, the ledger.
-- Times are ISO-8601 text with an offset; dates are YYYY-MM-DD; weights are integer grams.

CREATE TABLE orgs (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('farm', 'cooperative', 'factory', 'distributor', 'regulator', 'platform')),
    town                TEXT NOT NULL,
    licence_no          TEXT,
    gs1_company_prefix  TEXT,
    created_at          TEXT NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs (id),
    role         TEXT NOT NULL CHECK (role IN ('admin', 'farmer', 'processor', 'distributor', 'regulator')),
    holder_name  TEXT NOT NULL,
    key_hash     BLOB NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX api_keys_org ON api_keys (org_id);

CREATE TABLE plots (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs (id),
    name            TEXT NOT NULL,
    town            TEXT NOT NULL,
    cultivar        TEXT NOT NULL,
    area_mu         REAL NOT NULL CHECK (area_mu > 0),
    latitude        REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude       REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    altitude_m      REAL,
    certifications  TEXT NOT NULL DEFAULT '[]',
    gi_eligible     INTEGER NOT NULL CHECK (gi_eligible IN (0, 1)),
    created_at      TEXT NOT NULL
);
CREATE INDEX plots_org ON plots (org_id);

-- Production records are never edited: a correction is a new row that points at the one it corrects.
CREATE TABLE farm_inputs (
    id                  TEXT PRIMARY KEY,
    plot_id             TEXT NOT NULL REFERENCES plots (id),
    kind                TEXT NOT NULL CHECK (kind IN ('fertilizer', 'pesticide', 'other')),
    product             TEXT NOT NULL,
    active_ingredient   TEXT,
    source              TEXT NOT NULL,
    dose                REAL NOT NULL CHECK (dose > 0),
    dose_unit           TEXT NOT NULL,
    method              TEXT NOT NULL,
    applied_on          TEXT NOT NULL,
    stopped_on          TEXT,
    phi_days            INTEGER CHECK (phi_days >= 0),
    corrects_id         TEXT REFERENCES farm_inputs (id),
    created_at          TEXT NOT NULL,
    CHECK (kind <> 'pesticide' OR phi_days IS NOT NULL)
);
CREATE INDEX farm_inputs_plot ON farm_inputs (plot_id, applied_on);
CREATE UNIQUE INDEX farm_inputs_corrects ON farm_inputs (corrects_id) WHERE corrects_id IS NOT NULL;

CREATE TABLE harvests (
    id                  TEXT PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE,
    plot_id             TEXT NOT NULL REFERENCES plots (id),
    picked_on           TEXT NOT NULL,
    plucking_standard   TEXT NOT NULL CHECK (plucking_standard IN ('bud', 'bud1leaf', 'bud2leaves', 'bud3leaves')),
    fresh_leaf_g        INTEGER NOT NULL CHECK (fresh_leaf_g > 0),
    created_at          TEXT NOT NULL
);
CREATE INDEX harvests_plot ON harvests (plot_id, picked_on);

CREATE TABLE batches (
    id               TEXT PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    factory_org_id   TEXT NOT NULL REFERENCES orgs (id),
    started_at       TEXT NOT NULL,
    claims_gi        INTEGER NOT NULL CHECK (claims_gi IN (0, 1)),
    fresh_leaf_g     INTEGER NOT NULL CHECK (fresh_leaf_g > 0),
    status           TEXT NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'completed')),
    completed_at     TEXT,
    made_tea_g       INTEGER CHECK (made_tea_g > 0),
    style            TEXT,
    grade            TEXT,
    moisture_pct     REAL,
    override_reason  TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX batches_factory ON batches (factory_org_id);

CREATE TABLE batch_inputs (
    batch_id    TEXT NOT NULL REFERENCES batches (id),
    harvest_id  TEXT NOT NULL REFERENCES harvests (id),
    leaf_g      INTEGER NOT NULL CHECK (leaf_g > 0),
    PRIMARY KEY (batch_id, harvest_id)
);
CREATE INDEX batch_inputs_harvest ON batch_inputs (harvest_id);

CREATE TABLE batch_steps (
    batch_id    TEXT NOT NULL REFERENCES batches (id),
    seq         INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 4),
    step        TEXT NOT NULL CHECK (step IN ('withering', 'rolling', 'fermentation', 'drying')),
    started_at  TEXT NOT NULL,
    ended_at    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (batch_id, seq),
    UNIQUE (batch_id, step)
);

CREATE TABLE sensor_readings (
    id             INTEGER PRIMARY KEY,
    batch_id       TEXT NOT NULL REFERENCES batches (id),
    step           TEXT NOT NULL CHECK (step IN ('withering', 'rolling', 'fermentation', 'drying')),
    at             TEXT NOT NULL,
    temperature_c  REAL NOT NULL,
    humidity_pct   REAL NOT NULL CHECK (humidity_pct BETWEEN 0 AND 100)
);
CREATE INDEX sensor_readings_batch ON sensor_readings (batch_id, step, at);

CREATE TABLE lots (
    id             TEXT PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE CHECK (length(code) <= 20),
    batch_id       TEXT NOT NULL REFERENCES batches (id),
    org_id         TEXT NOT NULL REFERENCES orgs (id),
    gtin           TEXT NOT NULL CHECK (length(gtin) = 14),
    product_name   TEXT NOT NULL,
    net_weight_g   INTEGER NOT NULL CHECK (net_weight_g > 0),
    unit_count     INTEGER NOT NULL CHECK (unit_count > 0),
    packed_on      TEXT NOT NULL,
    best_before    TEXT,
    serials_root   BLOB NOT NULL CHECK (length(serials_root) = 32),
    created_at     TEXT NOT NULL
);
CREATE INDEX lots_batch ON lots (batch_id);
CREATE INDEX lots_gtin ON lots (gtin, code);

-- One code per smallest sales unit, never reassigned.
CREATE TABLE units (
    serial  TEXT PRIMARY KEY,
    lot_id  TEXT NOT NULL REFERENCES lots (id),
    seq     INTEGER NOT NULL CHECK (seq >= 1),
    status  TEXT NOT NULL DEFAULT 'issued',
    UNIQUE (lot_id, seq)
) WITHOUT ROWID;

-- The ledger: entry idx is the RFC 9162 leaf index; body holds the exact bytes that were hashed.
CREATE TABLE ledger_entries (
    idx          INTEGER PRIMARY KEY CHECK (idx >= 0),
    type         TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    body         BLOB NOT NULL,
    leaf_hash    BLOB NOT NULL CHECK (length(leaf_hash) = 32)
);
CREATE INDEX ledger_entries_subject ON ledger_entries (subject_id, idx);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;

CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;

CREATE TRIGGER farm_inputs_no_update BEFORE UPDATE ON farm_inputs
BEGIN
    SELECT RAISE(ABORT, 'production records are corrected by a new record, never edited');
END;

CREATE TRIGGER farm_inputs_no_delete BEFORE DELETE ON farm_inputs
BEGIN
    SELECT RAISE(ABORT, 'production records are corrected by a new record, never edited');
END;

CREATE TRIGGER harvests_no_update BEFORE UPDATE ON harvests
BEGIN
    SELECT RAISE(ABORT, 'production records are corrected by a new record, never edited');
END;

CREATE TRIGGER harvests_no_delete BEFORE DELETE ON harvests
BEGIN
    SELECT RAISE(ABORT, 'production records are corrected by a new record, never edited');
END;

-- Which seed data sets were loaded into this database.
CREATE TABLE seed_runs (
    name        TEXT PRIMARY KEY,
    applied_at  TEXT NOT NULL
);
