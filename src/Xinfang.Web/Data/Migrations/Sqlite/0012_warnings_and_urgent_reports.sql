-- Warnings: the overdue list reads warned matters most overdue first; each warning notice is sent once
-- (per clock, due date and colour). Art. 25: reports of major and urgent matters to the bureau one level up.
CREATE INDEX "ix_petitions_warning_due_on_number" ON "petitions" ("warning", "due_on", "number");
CREATE TABLE "warning_notices" (
    "petition_id" TEXT NOT NULL,
    "clock" TEXT NOT NULL,
    "due_on" TEXT NOT NULL,
    "colour" TEXT NOT NULL,
    "notification_id" TEXT NOT NULL,
    "sent_at" INTEGER NOT NULL,
    CONSTRAINT "pk_warning_notices" PRIMARY KEY ("petition_id", "clock", "due_on", "colour")
);
CREATE TABLE "urgent_reports" (
    "id" TEXT NOT NULL CONSTRAINT "pk_urgent_reports" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "from_unit_id" TEXT NOT NULL,
    "to_unit_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at_registration" INTEGER NOT NULL,
    "reported_at" INTEGER NOT NULL,
    "reported_by_user_id" TEXT NULL,
    "acknowledged_at" INTEGER NULL,
    "acknowledged_by_user_id" TEXT NULL
);
CREATE UNIQUE INDEX "ix_urgent_reports_petition_id" ON "urgent_reports" ("petition_id");
CREATE INDEX "ix_urgent_reports_to_unit_id_acknowledged_at_reported_at" ON "urgent_reports" ("to_unit_id", "acknowledged_at", "reported_at");
