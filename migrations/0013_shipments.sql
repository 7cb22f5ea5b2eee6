-- TeaTrace schema 13: made tea leaves the factory. A shipment (the giver's record, with its delivery note) carries
-- made tea by weight or packed tins by count to a distributor; the distributor's receipt (the taker's record) is what
-- lets it pack the tea or sell the tins. Nothing here is edited: every record is a new row.

CREATE TABLE shipments (
    id           TEXT PRIMARY KEY,
    note_no      TEXT NOT NULL UNIQUE CHECK (length(note_no) = 12),
    from_org_id  TEXT NOT NULL REFERENCES orgs (id),
    to_org_id    TEXT NOT NULL REFERENCES orgs (id),
    batch_id     TEXT NOT NULL REFERENCES batches (id),
    lot_id       TEXT REFERENCES lots (id),
    tea_g        INTEGER NOT NULL CHECK (tea_g > 0),
    units        INTEGER CHECK (units IS NULL OR units > 0),
    shipped_at   TEXT NOT NULL,
    key_id       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    CHECK (from_org_id <> to_org_id),
    CHECK ((lot_id IS NULL AND units IS NULL) OR (lot_id IS NOT NULL AND units IS NOT NULL))
);
CREATE INDEX shipments_batch ON shipments (batch_id, from_org_id);
CREATE INDEX shipments_to ON shipments (to_org_id, batch_id);
CREATE INDEX shipments_lot ON shipments (lot_id);

-- The tins a shipment carries, taken in packing order among those the shipper held unsold. A tin leaves its packer once.
CREATE TABLE shipment_units (
    serial       TEXT PRIMARY KEY REFERENCES units (serial),
    shipment_id  TEXT NOT NULL REFERENCES shipments (id)
);
CREATE INDEX shipment_units_shipment ON shipment_units (shipment_id);

-- The receiver's receipt: one per shipment. Made tea is weighed (received_g); tins are counted (received_units).
CREATE TABLE shipment_receipts (
    id              TEXT PRIMARY KEY,
    shipment_id     TEXT NOT NULL UNIQUE REFERENCES shipments (id),
    received_at     TEXT NOT NULL,
    received_g      INTEGER NOT NULL CHECK (received_g > 0),
    received_units  INTEGER CHECK (received_units IS NULL OR received_units > 0),
    note            TEXT CHECK (note IS NULL OR length(note) <= 500),
    org_id          TEXT NOT NULL REFERENCES orgs (id),
    key_id          TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

-- The tins a receipt counted in: the shipment's first received_units in packing order. Tins short on arrival are held
-- by no one and sold by no one.
CREATE TABLE shipment_received_units (
    serial      TEXT PRIMARY KEY REFERENCES shipment_units (serial),
    receipt_id  TEXT NOT NULL REFERENCES shipment_receipts (id)
);
CREATE INDEX shipment_received_units_receipt ON shipment_received_units (receipt_id);

-- Made tea that distributors packed before shipments were recorded: each such lot's tea counts as handed over from the
-- batch's factory to the distributor, so those lots stay valid and the factory's tea left is unchanged. No new rows
-- are ever added here.
CREATE TABLE made_tea_handed_over_before_shipments (
    batch_id     TEXT NOT NULL REFERENCES batches (id),
    from_org_id  TEXT NOT NULL REFERENCES orgs (id),
    to_org_id    TEXT NOT NULL REFERENCES orgs (id),
    tea_g        INTEGER NOT NULL CHECK (tea_g > 0),
    PRIMARY KEY (batch_id, to_org_id)
);
INSERT INTO made_tea_handed_over_before_shipments (batch_id, from_org_id, to_org_id, tea_g)
SELECT l.batch_id, b.factory_org_id, l.org_id, SUM(l.net_weight_g * l.unit_count)
FROM lots l
JOIN batches b ON b.id = l.batch_id
WHERE l.org_id <> b.factory_org_id
GROUP BY l.batch_id, b.factory_org_id, l.org_id;

CREATE TRIGGER shipments_no_update BEFORE UPDATE ON shipments
BEGIN
    SELECT RAISE(ABORT, 'a shipment is never edited');
END;
CREATE TRIGGER shipments_no_delete BEFORE DELETE ON shipments
BEGIN
    SELECT RAISE(ABORT, 'a shipment is never deleted');
END;
CREATE TRIGGER shipment_units_no_update BEFORE UPDATE ON shipment_units
BEGIN
    SELECT RAISE(ABORT, 'a shipment is never edited');
END;
CREATE TRIGGER shipment_units_no_delete BEFORE DELETE ON shipment_units
BEGIN
    SELECT RAISE(ABORT, 'a shipment is never edited');
END;
CREATE TRIGGER shipment_receipts_no_update BEFORE UPDATE ON shipment_receipts
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never edited');
END;
CREATE TRIGGER shipment_receipts_no_delete BEFORE DELETE ON shipment_receipts
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never deleted');
END;
CREATE TRIGGER shipment_received_units_no_update BEFORE UPDATE ON shipment_received_units
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never edited');
END;
CREATE TRIGGER shipment_received_units_no_delete BEFORE DELETE ON shipment_received_units
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never edited');
END;
CREATE TRIGGER made_tea_handed_over_before_shipments_no_insert BEFORE INSERT ON made_tea_handed_over_before_shipments
BEGIN
    SELECT RAISE(ABORT, 'made tea is handed over by a shipment and a receipt');
END;
CREATE TRIGGER made_tea_handed_over_before_shipments_no_update BEFORE UPDATE ON made_tea_handed_over_before_shipments
BEGIN
    SELECT RAISE(ABORT, 'made tea handed over before shipments is never edited');
END;
CREATE TRIGGER made_tea_handed_over_before_shipments_no_delete BEFORE DELETE ON made_tea_handed_over_before_shipments
BEGIN
    SELECT RAISE(ABORT, 'made tea handed over before shipments is never edited');
END;
