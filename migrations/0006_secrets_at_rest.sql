-- TeaTrace schema 6: no secret is kept for replays.

-- Replays of key creations stored before this version held the new key in their body. Forget them: a retry of such a
-- request now finds no record and issues a second key, which is safer than serving the first one again.
DELETE FROM idempotency_keys WHERE CAST(body AS TEXT) LIKE '%"apiKey":%';
