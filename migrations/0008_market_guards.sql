-- TeaTrace schema 8: the price check on trades, closed market days, and the reason for an unusually small net weight.

-- How a trade's price per kg compared with recent trades of its style and grade when it was recorded:
-- 'in-band' inside the band; 'no-reference' too few recent trades to form a band (counted, flagged for review);
-- 'override' outside the band, recorded with override_reason (kept out of the daily figures);
-- 'unchecked' recorded before the check existed (counted as before).
ALTER TABLE trades ADD COLUMN price_check TEXT NOT NULL DEFAULT 'unchecked'
    CHECK (price_check IN ('unchecked', 'in-band', 'no-reference', 'override'));
ALTER TABLE trades ADD COLUMN override_reason TEXT;

ALTER TABLE market_daily ADD COLUMN excluded_trades INTEGER NOT NULL DEFAULT 0;
ALTER TABLE market_daily ADD COLUMN review_trades INTEGER NOT NULL DEFAULT 0;

-- A day's state once the close has reached it. No row: the day still takes trades. 'closed': trades dated on it are
-- refused. 'reopened': an admin opened it again, with a reason, until the next close.
CREATE TABLE market_days (
    day         TEXT PRIMARY KEY,
    state       TEXT NOT NULL CHECK (state IN ('closed', 'reopened')),
    changed_at  TEXT NOT NULL,
    reason      TEXT,
    CHECK (state <> 'reopened' OR reason IS NOT NULL)
);

-- Figures already published as closed stay closed.
INSERT INTO market_days (day, state, changed_at)
SELECT day, 'closed', MAX(changed_at) FROM market_daily WHERE closed = 1 GROUP BY day;

-- Why a lot's units weigh less than the configured minimum (tasting samples, say); null when they do not.
ALTER TABLE lots ADD COLUMN net_weight_reason TEXT;
