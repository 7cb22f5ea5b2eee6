-- TeaTrace schema 9: indexes for the queries the service makes, append-only rules on every record that is never
-- edited, and the unit statuses the service knows.

CREATE INDEX trade_units_trade ON trade_units (trade_id);
CREATE INDEX recalls_subject ON recalls (scope, subject_id);

-- Steps, readings, a batch's leaf, recalls and what they reached are records: never edited, never deleted.
CREATE TRIGGER batch_steps_no_update BEFORE UPDATE ON batch_steps
BEGIN
    SELECT RAISE(ABORT, 'batch steps are never edited');
END;

CREATE TRIGGER batch_steps_no_delete BEFORE DELETE ON batch_steps
BEGIN
    SELECT RAISE(ABORT, 'batch steps are never edited');
END;

CREATE TRIGGER sensor_readings_no_update BEFORE UPDATE ON sensor_readings
BEGIN
    SELECT RAISE(ABORT, 'sensor readings are never edited');
END;

CREATE TRIGGER sensor_readings_no_delete BEFORE DELETE ON sensor_readings
BEGIN
    SELECT RAISE(ABORT, 'sensor readings are never edited');
END;

CREATE TRIGGER batch_inputs_no_update BEFORE UPDATE ON batch_inputs
BEGIN
    SELECT RAISE(ABORT, 'a batch''s leaf is never edited');
END;

CREATE TRIGGER batch_inputs_no_delete BEFORE DELETE ON batch_inputs
BEGIN
    SELECT RAISE(ABORT, 'a batch''s leaf is never edited');
END;

CREATE TRIGGER recalls_no_update BEFORE UPDATE ON recalls
BEGIN
    SELECT RAISE(ABORT, 'recalls are never edited');
END;

CREATE TRIGGER recalls_no_delete BEFORE DELETE ON recalls
BEGIN
    SELECT RAISE(ABORT, 'recalls are never edited');
END;

CREATE TRIGGER recall_lots_no_update BEFORE UPDATE ON recall_lots
BEGIN
    SELECT RAISE(ABORT, 'what a recall reached is never edited');
END;

CREATE TRIGGER recall_lots_no_delete BEFORE DELETE ON recall_lots
BEGIN
    SELECT RAISE(ABORT, 'what a recall reached is never edited');
END;

-- A unit is issued, sold, recalled or destroyed. SQLite cannot add a CHECK to an existing table without rebuilding it
-- (and the tables that refer to it), so the same rule is kept by triggers.
CREATE TRIGGER units_status_known_insert BEFORE INSERT ON units
WHEN NEW.status NOT IN ('issued', 'sold', 'recalled', 'destroyed')
BEGIN
    SELECT RAISE(ABORT, 'a unit is issued, sold, recalled or destroyed');
END;

CREATE TRIGGER units_status_known_update BEFORE UPDATE OF status ON units
WHEN NEW.status NOT IN ('issued', 'sold', 'recalled', 'destroyed')
BEGIN
    SELECT RAISE(ABORT, 'a unit is issued, sold, recalled or destroyed');
END;
