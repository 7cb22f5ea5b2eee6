-- TeaTrace schema 5: idempotency keys for retried requests.

-- A POST with an Idempotency-Key: the key, who sent it, a hash of the request, and the response it got. Written in
-- the same transaction as the write it answers, so a retry after a lost response can never write twice.
CREATE TABLE idempotency_keys (
    caller        TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_hash  BLOB NOT NULL CHECK (length(request_hash) = 32),
    status        INTEGER NOT NULL,
    content_type  TEXT,
    location      TEXT,
    body          BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (caller, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
