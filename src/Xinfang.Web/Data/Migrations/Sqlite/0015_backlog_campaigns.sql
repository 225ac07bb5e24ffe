-- 积案化解 backlog campaigns (domain.md, "Supervision and accountability") and their listed matters.
CREATE TABLE "backlog_campaigns" (
    "id" TEXT NOT NULL CONSTRAINT "pk_backlog_campaigns" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "starts_on" TEXT NOT NULL,
    "ends_on" TEXT NOT NULL,
    "min_repeats" INTEGER NULL,
    "open_longer_than_days" INTEGER NULL,
    "petitioning_after_final" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by_user_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE TABLE "backlog_members" (
    "id" TEXT NOT NULL CONSTRAINT "pk_backlog_members" PRIMARY KEY,
    "campaign_id" TEXT NOT NULL,
    "petition_id" TEXT NOT NULL,
    "petition_number" TEXT NOT NULL,
    "owner_user_id" TEXT NOT NULL,
    "responsible_unit_ids" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "listed_at" INTEGER NOT NULL,
    "listed_by_user_id" TEXT NOT NULL,
    "reported_at" INTEGER NULL,
    "reported_by_user_id" TEXT NULL,
    "report_summary" TEXT NULL,
    "evidence" TEXT NULL,
    "evidence_attachment_ids" TEXT NOT NULL,
    "audited_at" INTEGER NULL,
    "audited_by_user_id" TEXT NULL,
    "audit_reasons" TEXT NULL,
    "struck_off_at" INTEGER NULL,
    "recheck_due_on" TEXT NULL,
    "rechecked_at" INTEGER NULL,
    "recheck_result" TEXT NULL,
    "recheck_note" TEXT NULL,
    "returns" INTEGER NOT NULL,
    "relapses" INTEGER NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE INDEX "ix_backlog_campaigns_created_at" ON "backlog_campaigns" ("created_at");
CREATE INDEX "ix_backlog_campaigns_unit_id_created_at" ON "backlog_campaigns" ("unit_id", "created_at");
CREATE INDEX "ix_backlog_members_campaign_id_listed_at" ON "backlog_members" ("campaign_id", "listed_at");
CREATE UNIQUE INDEX "ix_backlog_members_campaign_id_petition_id" ON "backlog_members" ("campaign_id", "petition_id");
CREATE INDEX "ix_backlog_members_owner_user_id" ON "backlog_members" ("owner_user_id");
CREATE INDEX "ix_backlog_members_petition_id" ON "backlog_members" ("petition_id");
CREATE INDEX "ix_backlog_members_status_recheck_due_on" ON "backlog_members" ("status", "recheck_due_on");
