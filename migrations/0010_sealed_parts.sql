-- TeaTrace schema 10: the private fields of ledger entries, kept beside them under a commitment in the body.

-- One row per entry that has private fields. The salt and the fields open the commitment in the entry's body; an
-- erasure removes both (after which the commitment can be neither opened nor guessed) and says which entry did it.
CREATE TABLE sealed_parts (
    entry_idx            INTEGER PRIMARY KEY REFERENCES ledger_entries (idx),
    owner_org_id         TEXT NOT NULL,
    writer_org_id        TEXT NOT NULL,
    counterparty_org_id  TEXT,
    salt                 BLOB CHECK (salt IS NULL OR length(salt) = 32),
    fields               BLOB,
    keep_until           TEXT,
    erased_by            INTEGER REFERENCES ledger_entries (idx),
    CHECK ((salt IS NULL) = (fields IS NULL)),
    CHECK ((erased_by IS NULL) = (salt IS NOT NULL))
);
CREATE INDEX sealed_parts_owner ON sealed_parts (owner_org_id);

-- Who each sealed part names or belongs to (key ids, organisation ids): what an erasure of that subject reaches.
CREATE TABLE sealed_names (
    subject    TEXT NOT NULL,
    entry_idx  INTEGER NOT NULL REFERENCES sealed_parts (entry_idx),
    PRIMARY KEY (subject, entry_idx)
) WITHOUT ROWID;

-- A sealed part is written once and can only be erased: salt and fields removed together, nothing else changed.
CREATE TRIGGER sealed_parts_erase_only BEFORE UPDATE ON sealed_parts
WHEN OLD.salt IS NULL OR NEW.salt IS NOT NULL OR NEW.fields IS NOT NULL OR NEW.erased_by IS NULL
  OR NEW.entry_idx <> OLD.entry_idx OR NEW.owner_org_id <> OLD.owner_org_id OR NEW.writer_org_id <> OLD.writer_org_id
  OR NEW.counterparty_org_id IS NOT OLD.counterparty_org_id OR NEW.keep_until IS NOT OLD.keep_until
BEGIN
    SELECT RAISE(ABORT, 'a sealed part is only ever erased');
END;

CREATE TRIGGER sealed_parts_no_delete BEFORE DELETE ON sealed_parts
BEGIN
    SELECT RAISE(ABORT, 'a sealed part is erased, never deleted');
END;

CREATE TRIGGER sealed_names_no_update BEFORE UPDATE ON sealed_names
BEGIN
    SELECT RAISE(ABORT, 'what a sealed part names is never edited');
END;

CREATE TRIGGER sealed_names_no_delete BEFORE DELETE ON sealed_names
BEGIN
    SELECT RAISE(ABORT, 'what a sealed part names is never edited');
END;

-- A key holder's name and a trade's buyer live only in the sealed parts, where an erasure can reach them.
ALTER TABLE api_keys DROP COLUMN holder_name;
ALTER TABLE trades DROP COLUMN buyer;

-- What the audit checked of the sealed parts, and how many were erased.
ALTER TABLE audit_runs ADD COLUMN sealed_checked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_runs ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;
