-- 0005 staff workbench (SQLite): queue order, password age, unmasking of personal data.
ALTER TABLE "petitions" ADD COLUMN "due_on" TEXT NULL;
-- The earliest running duty clock (a window only when nothing else runs), as Petition.Refresh computes it.
UPDATE "petitions" SET "due_on" = COALESCE(
    (SELECT MIN(json_extract(c.value, '$.dueOn')) FROM json_each("petitions"."clocks") c
      WHERE json_extract(c.value, '$.state') = 'running' AND json_extract(c.value, '$.name') NOT IN ('objection', 'reviewRequest', 'reReviewRequest')),
    (SELECT MIN(json_extract(c.value, '$.dueOn')) FROM json_each("petitions"."clocks") c
      WHERE json_extract(c.value, '$.state') = 'running'));
CREATE INDEX "ix_petitions_holding_unit_id_status_due_on" ON "petitions" ("holding_unit_id", "status", "due_on");

ALTER TABLE "identity_users" ADD COLUMN "password_changed_at" INTEGER NULL;

CREATE TABLE "personal_data_reveals" (
    "id" TEXT NOT NULL CONSTRAINT "pk_personal_data_reveals" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at" INTEGER NOT NULL
);
CREATE INDEX "ix_personal_data_reveals_petition_id_at" ON "personal_data_reveals" ("petition_id", "at");
-- Like the events, the record of who saw personal data is never rewritten.
CREATE TRIGGER "personal_data_reveals_no_update" BEFORE UPDATE ON "personal_data_reveals" BEGIN SELECT RAISE(ABORT, 'personal_data_reveals is append-only'); END;
CREATE TRIGGER "personal_data_reveals_no_delete" BEFORE DELETE ON "personal_data_reveals" BEGIN SELECT RAISE(ABORT, 'personal_data_reveals is append-only'); END;
