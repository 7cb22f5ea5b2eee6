-- TeaTrace schema 14: a cooperative's members (农民专业合作社 成员), smallholders with no key of their own, and the
-- leaf the cooperative buys from them at its collection point. People's names, phones and ID digits and what each
-- member is paid live only in the ledger's sealed parts, where an erasure reaches them; these rows hold none of it.
-- Nothing here is edited or deleted.

CREATE TABLE members (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    village     TEXT NOT NULL CHECK (length(village) BETWEEN 1 AND 100),
    key_id      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX members_org ON members (org_id, created_at);

-- A plot may be a member's, farmed by the member and recorded by the cooperative.
ALTER TABLE plots ADD COLUMN member_id TEXT REFERENCES members (id);

-- One weighing at the collection point: the member's leaf becomes a harvest of the cooperative's plot.
CREATE TABLE collections (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs (id),
    member_id     TEXT NOT NULL REFERENCES members (id),
    plot_id       TEXT NOT NULL REFERENCES plots (id),
    harvest_id    TEXT NOT NULL UNIQUE REFERENCES harvests (id),
    collected_at  TEXT NOT NULL,
    leaf_g        INTEGER NOT NULL CHECK (leaf_g > 0),
    key_id        TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX collections_member ON collections (member_id, collected_at);
CREATE INDEX collections_org ON collections (org_id, collected_at);

CREATE TRIGGER members_no_update BEFORE UPDATE ON members
BEGIN
    SELECT RAISE(ABORT, 'a member is never edited');
END;
CREATE TRIGGER members_no_delete BEFORE DELETE ON members
BEGIN
    SELECT RAISE(ABORT, 'a member is never deleted: erase their personal data instead');
END;
CREATE TRIGGER collections_no_update BEFORE UPDATE ON collections
BEGIN
    SELECT RAISE(ABORT, 'a collection is never edited');
END;
CREATE TRIGGER collections_no_delete BEFORE DELETE ON collections
BEGIN
    SELECT RAISE(ABORT, 'a collection is never deleted');
END;
