-- TeaTrace schema 12: fresh leaf changes hands. A sale issues the 承诺达标合格证 (the giver's record); the buyer
-- receives it by weight, or rejects it at the gate (the taker's record). A factory draws only leaf it holds.
-- Nothing here is edited: a void, a rejection and a corrected weight are new rows.

CREATE TABLE leaf_sales (
    id                TEXT PRIMARY KEY,
    certificate_no    TEXT NOT NULL UNIQUE CHECK (length(certificate_no) = 12),
    seller_org_id     TEXT NOT NULL REFERENCES orgs (id),
    buyer_org_id      TEXT NOT NULL REFERENCES orgs (id),
    sold_at           TEXT NOT NULL,
    basis             TEXT NOT NULL CHECK (basis IN ('control', 'self-test', 'entrusted-test')),
    leaf_g            INTEGER NOT NULL CHECK (leaf_g > 0),
    price_per_kg_fen  INTEGER CHECK (price_per_kg_fen IS NULL OR price_per_kg_fen >= 0),
    residue_test_ids  TEXT NOT NULL,
    commitment        TEXT NOT NULL,
    minted_offline    INTEGER NOT NULL CHECK (minted_offline IN (0, 1)),
    key_id            TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    CHECK (seller_org_id <> buyer_org_id)
);
CREATE INDEX leaf_sales_buyer ON leaf_sales (buyer_org_id, sold_at);
CREATE INDEX leaf_sales_seller ON leaf_sales (seller_org_id, sold_at);

-- The harvests a load is made of (several: a mixed load, named on one certificate).
CREATE TABLE leaf_sale_lines (
    sale_id     TEXT NOT NULL REFERENCES leaf_sales (id),
    harvest_id  TEXT NOT NULL REFERENCES harvests (id),
    leaf_g      INTEGER NOT NULL CHECK (leaf_g > 0),
    PRIMARY KEY (sale_id, harvest_id)
);
CREATE INDEX leaf_sale_lines_harvest ON leaf_sale_lines (harvest_id);

-- An issuer voids a certificate not yet received; the buyer's gate rejects a load instead of receiving it.
-- Either returns the leaf to the seller. A sale ends in at most one of them.
CREATE TABLE leaf_sale_ends (
    sale_id     TEXT PRIMARY KEY REFERENCES leaf_sales (id),
    kind        TEXT NOT NULL CHECK (kind IN ('voided', 'rejected')),
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    ended_at    TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    key_id      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- The buyer's receipt of a load, weighed at its gate. A correction is a new receipt naming the one it corrects;
-- the receipt no other corrects is the one that counts.
CREATE TABLE leaf_receipts (
    id                   TEXT PRIMARY KEY,
    sale_id              TEXT NOT NULL REFERENCES leaf_sales (id),
    received_at          TEXT NOT NULL,
    received_g           INTEGER NOT NULL CHECK (received_g > 0),
    corrects_receipt_id  TEXT UNIQUE REFERENCES leaf_receipts (id),
    org_id               TEXT NOT NULL REFERENCES orgs (id),
    key_id               TEXT NOT NULL,
    created_at           TEXT NOT NULL
);
CREATE UNIQUE INDEX leaf_receipts_one_first ON leaf_receipts (sale_id) WHERE corrects_receipt_id IS NULL;

-- What a receipt's weight means for each harvest of the load: the received weight shared in proportion to the
-- sold weight of each line.
CREATE TABLE leaf_receipt_lines (
    receipt_id  TEXT NOT NULL REFERENCES leaf_receipts (id),
    harvest_id  TEXT NOT NULL REFERENCES harvests (id),
    leaf_g      INTEGER NOT NULL CHECK (leaf_g >= 0),
    PRIMARY KEY (receipt_id, harvest_id)
);
CREATE INDEX leaf_receipt_lines_harvest ON leaf_receipt_lines (harvest_id);

-- Leaf that factories drew before hand-overs were recorded: each such batch input counts as handed over from the
-- harvest's organisation to the factory, so the batches made before this schema stay valid and the harvests' leaf
-- left is unchanged. No new rows are ever added here.
CREATE TABLE leaf_handed_over_before_receipts (
    harvest_id   TEXT NOT NULL REFERENCES harvests (id),
    from_org_id  TEXT NOT NULL REFERENCES orgs (id),
    to_org_id    TEXT NOT NULL REFERENCES orgs (id),
    leaf_g       INTEGER NOT NULL CHECK (leaf_g > 0),
    PRIMARY KEY (harvest_id, to_org_id)
);
INSERT INTO leaf_handed_over_before_receipts (harvest_id, from_org_id, to_org_id, leaf_g)
SELECT bi.harvest_id, p.org_id, b.factory_org_id, SUM(bi.leaf_g)
FROM batch_inputs bi
JOIN batches b ON b.id = bi.batch_id
JOIN harvests h ON h.id = bi.harvest_id
JOIN plots p ON p.id = h.plot_id
GROUP BY bi.harvest_id, p.org_id, b.factory_org_id;

CREATE TRIGGER leaf_sales_no_update BEFORE UPDATE ON leaf_sales
BEGIN
    SELECT RAISE(ABORT, 'a leaf sale is never edited: void it');
END;
CREATE TRIGGER leaf_sales_no_delete BEFORE DELETE ON leaf_sales
BEGIN
    SELECT RAISE(ABORT, 'a leaf sale is never deleted: void it');
END;
CREATE TRIGGER leaf_sale_lines_no_update BEFORE UPDATE ON leaf_sale_lines
BEGIN
    SELECT RAISE(ABORT, 'a leaf sale is never edited');
END;
CREATE TRIGGER leaf_sale_lines_no_delete BEFORE DELETE ON leaf_sale_lines
BEGIN
    SELECT RAISE(ABORT, 'a leaf sale is never edited');
END;
CREATE TRIGGER leaf_sale_ends_no_update BEFORE UPDATE ON leaf_sale_ends
BEGIN
    SELECT RAISE(ABORT, 'a void or rejection is never edited');
END;
CREATE TRIGGER leaf_sale_ends_no_delete BEFORE DELETE ON leaf_sale_ends
BEGIN
    SELECT RAISE(ABORT, 'a void or rejection is never deleted');
END;
CREATE TRIGGER leaf_receipts_no_update BEFORE UPDATE ON leaf_receipts
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never edited: record a correction');
END;
CREATE TRIGGER leaf_receipts_no_delete BEFORE DELETE ON leaf_receipts
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never deleted: record a correction');
END;
CREATE TRIGGER leaf_receipt_lines_no_update BEFORE UPDATE ON leaf_receipt_lines
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never edited');
END;
CREATE TRIGGER leaf_receipt_lines_no_delete BEFORE DELETE ON leaf_receipt_lines
BEGIN
    SELECT RAISE(ABORT, 'a receipt is never edited');
END;
CREATE TRIGGER leaf_handed_over_before_receipts_no_insert BEFORE INSERT ON leaf_handed_over_before_receipts
BEGIN
    SELECT RAISE(ABORT, 'leaf is handed over by a sale and a receipt');
END;
CREATE TRIGGER leaf_handed_over_before_receipts_no_update BEFORE UPDATE ON leaf_handed_over_before_receipts
BEGIN
    SELECT RAISE(ABORT, 'leaf handed over before receipts is never edited');
END;
CREATE TRIGGER leaf_handed_over_before_receipts_no_delete BEFORE DELETE ON leaf_handed_over_before_receipts
BEGIN
    SELECT RAISE(ABORT, 'leaf handed over before receipts is never edited');
END;
