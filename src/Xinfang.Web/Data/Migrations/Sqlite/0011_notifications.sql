-- In-app notices (站内提醒) of warnings, supervision, ownership, campaigns and urgent reports.
CREATE TABLE "notifications" (
    "id" TEXT NOT NULL CONSTRAINT "pk_notifications" PRIMARY KEY,
    "recipient_unit_id" TEXT NOT NULL,
    "recipient_user_id" TEXT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NULL,
    "petition_id" TEXT NULL,
    "link" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "read_at" INTEGER NULL,
    "read_by_user_id" TEXT NULL
);
CREATE INDEX "ix_notifications_petition_id" ON "notifications" ("petition_id");
CREATE INDEX "ix_notifications_recipient_unit_id_read_at_created_at" ON "notifications" ("recipient_unit_id", "read_at", "created_at");
CREATE INDEX "ix_notifications_recipient_user_id_read_at" ON "notifications" ("recipient_user_id", "read_at");
