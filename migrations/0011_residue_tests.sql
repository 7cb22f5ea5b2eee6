-- TeaTrace schema 11: testing laboratories (org kind and role 'lab'), and pesticide residue tests of plots.

-- ---- SQLite only: widen two CHECK lists -------------------------------------------------------------------------
-- SQLite cannot alter a CHECK, so orgs and api_keys are rebuilt. (PostgreSQL would say instead:
--   ALTER TABLE orgs DROP CONSTRAINT orgs_kind_check, ADD CONSTRAINT orgs_kind_check CHECK (kind IN (...));)
-- The runner applies this file in one transaction with foreign keys on, where PRAGMA foreign_keys = OFF does nothing,
-- and a modern ALTER TABLE ... RENAME would rewrite the references of plots, batches and lots to the renamed table.
-- So nothing is renamed: the rows wait in temporary copies, the tables are dropped and created again under the same
-- names (so every REFERENCES orgs (id) elsewhere finds the new table), and the rows go back. With deferred foreign keys,
-- dropping orgs counts its children as violations and putting each organisation back counts them off again; were any
-- child row left without its organisation, the commit would fail and the migration with it. Neither table has
-- triggers; api_keys has one index (api_keys_org), made again below.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE orgs_0011 AS SELECT id, name, kind, town, licence_no, gs1_company_prefix, created_at FROM orgs;
CREATE TEMP TABLE api_keys_0011 AS SELECT id, org_id, role, key_hash, created_at, revoked_at FROM api_keys;

DROP TABLE api_keys;
DROP TABLE orgs;

CREATE TABLE orgs (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('farm', 'cooperative', 'factory', 'distributor', 'regulator', 'platform', 'lab')),
    town                TEXT NOT NULL,
    licence_no          TEXT,
    gs1_company_prefix  TEXT,
    created_at          TEXT NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs (id),
    role         TEXT NOT NULL CHECK (role IN ('admin', 'farmer', 'processor', 'distributor', 'regulator', 'lab')),
    key_hash     BLOB NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX api_keys_org ON api_keys (org_id);

INSERT INTO orgs (id, name, kind, town, licence_no, gs1_company_prefix, created_at)
SELECT id, name, kind, town, licence_no, gs1_company_prefix, created_at FROM orgs_0011;

INSERT INTO api_keys (id, org_id, role, key_hash, created_at, revoked_at)
SELECT id, org_id, role, key_hash, created_at, revoked_at FROM api_keys_0011;

DROP TABLE orgs_0011;
DROP TABLE api_keys_0011;
-- ---- end of the SQLite-only part ----------------------------------------------------------------------------------

-- A pesticide residue test of a plot's leaf: a self-test by the plot's organisation (rapid strips or a laboratory) or
-- a test entrusted to a laboratory. The verdict was judged against the configured limits when it was recorded.
CREATE TABLE residue_tests (
    id               TEXT PRIMARY KEY,
    plot_id          TEXT NOT NULL REFERENCES plots (id),
    harvest_id       TEXT REFERENCES harvests (id),
    sampled_on       TEXT NOT NULL,
    method           TEXT NOT NULL CHECK (method IN ('rapid', 'lab')),
    kind             TEXT NOT NULL CHECK (kind IN ('self-test', 'entrusted-test')),
    report_no        TEXT,
    verdict          TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
    recorder_org_id  TEXT NOT NULL REFERENCES orgs (id),
    lot_id           TEXT REFERENCES lots (id),
    plan_line_id     TEXT,
    limits_source    TEXT NOT NULL,  -- where the limits it was judged against came from, as configured then
    created_at       TEXT NOT NULL,
    CHECK (kind <> 'entrusted-test' OR report_no IS NOT NULL)
);
CREATE INDEX residue_tests_plot ON residue_tests (plot_id, sampled_on, created_at);

-- One row per line of the report: a pesticide (lab) or a class of pesticides (rapid).
CREATE TABLE residue_results (
    test_id            TEXT NOT NULL REFERENCES residue_tests (id),
    seq                INTEGER NOT NULL CHECK (seq >= 1),
    pesticide          TEXT,
    active_ingredient  TEXT,
    mg_per_kg          REAL CHECK (mg_per_kg >= 0),
    not_detected       INTEGER NOT NULL DEFAULT 0 CHECK (not_detected IN (0, 1)),
    limit_mg_per_kg    REAL,
    banned             INTEGER NOT NULL DEFAULT 0 CHECK (banned IN (0, 1)),
    class              TEXT,
    inhibition_pct     REAL CHECK (inhibition_pct BETWEEN 0 AND 100),
    pass               INTEGER NOT NULL CHECK (pass IN (0, 1)),
    PRIMARY KEY (test_id, seq),
    CHECK ((pesticide IS NULL) <> (class IS NULL))
);

CREATE TRIGGER residue_tests_no_update BEFORE UPDATE ON residue_tests
BEGIN
    SELECT RAISE(ABORT, 'residue tests are never edited');
END;

CREATE TRIGGER residue_tests_no_delete BEFORE DELETE ON residue_tests
BEGIN
    SELECT RAISE(ABORT, 'residue tests are never edited');
END;

CREATE TRIGGER residue_results_no_update BEFORE UPDATE ON residue_results
BEGIN
    SELECT RAISE(ABORT, 'residue results are never edited');
END;

CREATE TRIGGER residue_results_no_delete BEFORE DELETE ON residue_results
BEGIN
    SELECT RAISE(ABORT, 'residue results are never edited');
END;
