-- Art. 30 ¶3: the accused person's own staff account, kept away from the matter in any unit.
ALTER TABLE "petitions" ADD COLUMN "accused_user_id" TEXT NULL;
-- Art. 28 ¶3: recusals (回避) of staff with a direct interest in a matter.
CREATE TABLE "recusals" (
    "id" TEXT NOT NULL CONSTRAINT "pk_recusals" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "recorded_by_user_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at" INTEGER NOT NULL,
    "after_sequence" INTEGER NOT NULL
);
CREATE INDEX "ix_recusals_petition_id_user_id" ON "recusals" ("petition_id", "user_id");
CREATE INDEX "ix_recusals_user_id" ON "recusals" ("user_id");
-- Like the events and the record of who saw personal data, a recusal is never rewritten or withdrawn.
CREATE TRIGGER "recusals_no_update" BEFORE UPDATE ON "recusals" BEGIN SELECT RAISE(ABORT, 'recusals is append-only'); END;
CREATE TRIGGER "recusals_no_delete" BEFORE DELETE ON "recusals" BEGIN SELECT RAISE(ABORT, 'recusals is append-only'); END;
