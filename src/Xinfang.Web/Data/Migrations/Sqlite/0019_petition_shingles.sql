-- 0019 near-duplicates (SQLite): each petition's shingle set beside its band keys, so candidates are re-ranked
-- without re-reading their texts. Existing petitions get theirs from `xinfang text reindex`; until then their texts
-- are read as before.
CREATE TABLE "petition_shingles" (
    "petition_id" TEXT NOT NULL CONSTRAINT "pk_petition_shingles" PRIMARY KEY,
    "shingles" BLOB NOT NULL
);
