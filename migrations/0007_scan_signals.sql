-- TeaTrace schema 7: scans judged by network and by time; nothing kept per code that was never issued.

-- The scan's network (/24 or /48) as a salted hash; client_hash is now the device: that network and the browser.
ALTER TABLE scans ADD COLUMN network_hash TEXT;

-- The last scan of a unit per device and per network. Indexed by time, so only those inside the risk window are
-- counted, and only up to the largest threshold.
CREATE TABLE scan_devices (
    serial       TEXT NOT NULL,
    device_hash  TEXT NOT NULL,
    last_at      TEXT NOT NULL,
    PRIMARY KEY (serial, device_hash)
) WITHOUT ROWID;
CREATE INDEX scan_devices_recent ON scan_devices (serial, last_at);

CREATE TABLE scan_networks (
    serial        TEXT NOT NULL,
    network_hash  TEXT NOT NULL,
    last_at       TEXT NOT NULL,
    PRIMARY KEY (serial, network_hash)
) WITHOUT ROWID;
CREATE INDEX scan_networks_recent ON scan_networks (serial, last_at);

-- Codes never issued, scanned under a product this service packed: a count per day for the lot named in the link
-- when it is one of that product's lots, otherwise for the product (lot_code ''). Evidence that someone prints codes
-- for the lot, in a row per lot and day that no invented serial or lot can multiply.
CREATE TABLE unissued_scans (
    gtin      TEXT NOT NULL,
    lot_code  TEXT NOT NULL,
    day       TEXT NOT NULL,
    scans     INTEGER NOT NULL,
    PRIMARY KEY (gtin, lot_code, day)
) WITHOUT ROWID;

INSERT INTO unissued_scans (gtin, lot_code, day, scans)
SELECT s.gtin,
       CASE WHEN EXISTS (SELECT 1 FROM lots l WHERE l.gtin = s.gtin AND l.code = s.lot_code) THEN s.lot_code ELSE '' END AS lot,
       substr(s.at, 1, 10) AS day, count(*)
FROM scans s
WHERE s.issued = 0 AND EXISTS (SELECT 1 FROM lots l WHERE l.gtin = s.gtin)
GROUP BY s.gtin, lot, day;

DELETE FROM scans WHERE issued = 0;

-- Totals again from the scans that remain: a serial quoted under another GTIN or lot was counted for it before.
DROP TABLE scan_clients;
DELETE FROM scan_stats;
ALTER TABLE scan_stats DROP COLUMN clients;
INSERT INTO scan_stats (serial, scans, located, first_at)
SELECT serial, count(*), count(latitude), min(at) FROM scans GROUP BY serial;
