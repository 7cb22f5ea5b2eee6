-- TeaTrace schema 4: trades and the daily market figures built from them.

CREATE TABLE trades (
    id               TEXT PRIMARY KEY,
    lot_id           TEXT NOT NULL REFERENCES lots (id),
    buyer            TEXT NOT NULL,
    units            INTEGER NOT NULL CHECK (units > 0),
    unit_price_fen   INTEGER NOT NULL CHECK (unit_price_fen > 0),
    traded_at        TEXT NOT NULL,
    trade_day        TEXT NOT NULL,  -- the calendar day in Asia/Shanghai
    market           TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX trades_day ON trades (trade_day);
CREATE INDEX trades_lot ON trades (lot_id);

CREATE TRIGGER trades_no_update BEFORE UPDATE ON trades
BEGIN
    SELECT RAISE(ABORT, 'trades are never edited');
END;

CREATE TRIGGER trades_no_delete BEFORE DELETE ON trades
BEGIN
    SELECT RAISE(ABORT, 'trades are never edited');
END;

-- Which trade sold which unit: a unit is sold once.
CREATE TABLE trade_units (
    serial    TEXT PRIMARY KEY REFERENCES units (serial),
    trade_id  TEXT NOT NULL REFERENCES trades (id)
) WITHOUT ROWID;

-- Per day, style and grade, rebuilt from trades by the market jobs; changed_at moves only when the figures do.
CREATE TABLE market_daily (
    day            TEXT NOT NULL,
    style          TEXT NOT NULL,
    grade          TEXT NOT NULL,
    trades         INTEGER NOT NULL,
    units          INTEGER NOT NULL,
    volume_g       INTEGER NOT NULL,
    total_fen      INTEGER NOT NULL,
    min_price_fen  INTEGER NOT NULL,
    max_price_fen  INTEGER NOT NULL,
    closed         INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    changed_at     TEXT NOT NULL,
    PRIMARY KEY (day, style, grade)
) WITHOUT ROWID;
