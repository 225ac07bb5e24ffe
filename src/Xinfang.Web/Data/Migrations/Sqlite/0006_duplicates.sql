-- 0006 near-duplicates (SQLite): band keys of each petition's text, and clerks' decisions on repeat links.
-- Existing petitions get their keys from `xinfang text reindex` (the migration leaves the table empty).
CREATE TABLE "petition_band_keys" (
    "band_key" INTEGER NOT NULL,
    "petition_id" TEXT NOT NULL,
    CONSTRAINT "pk_petition_band_keys" PRIMARY KEY ("band_key", "petition_id")
) WITHOUT ROWID;
CREATE INDEX "ix_petition_band_keys_petition_id" ON "petition_band_keys" ("petition_id");

CREATE TABLE "repeat_link_decisions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_repeat_link_decisions" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "at" INTEGER NOT NULL,
    "similarity" REAL NOT NULL
);
CREATE INDEX "ix_repeat_link_decisions_petition_id_at" ON "repeat_link_decisions" ("petition_id", "at");
-- A decision is a record: never rewritten.
CREATE TRIGGER "repeat_link_decisions_no_update" BEFORE UPDATE ON "repeat_link_decisions" BEGIN SELECT RAISE(ABORT, 'repeat_link_decisions is append-only'); END;
CREATE TRIGGER "repeat_link_decisions_no_delete" BEFORE DELETE ON "repeat_link_decisions" BEGIN SELECT RAISE(ABORT, 'repeat_link_decisions is append-only'); END;
