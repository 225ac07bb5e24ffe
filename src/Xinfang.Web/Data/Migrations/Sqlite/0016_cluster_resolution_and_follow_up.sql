-- 类案: a cluster's lead unit, common policy measure and the snapshot of its members (clusters are computed on request).
CREATE TABLE "case_cluster_resolutions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_case_cluster_resolutions" PRIMARY KEY,
    "cluster_key" TEXT NOT NULL,
    "lead_unit_id" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "terms" TEXT NOT NULL,
    "member_ids" TEXT NOT NULL,
    "designated_at" INTEGER NOT NULL,
    "designated_by_user_id" TEXT NOT NULL,
    "designated_by_unit_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "ix_case_cluster_resolutions_cluster_key" ON "case_cluster_resolutions" ("cluster_key");
CREATE INDEX "ix_case_cluster_resolutions_lead_unit_id" ON "case_cluster_resolutions" ("lead_unit_id");
-- 回访: follow-ups after an answer, one stage each.
CREATE TABLE "follow_ups" (
    "id" TEXT NOT NULL CONSTRAINT "pk_follow_ups" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "reached_petitioner" INTEGER NOT NULL,
    "satisfaction" TEXT NULL,
    "recorded_at" INTEGER NOT NULL,
    "recorded_by_user_id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL
);
CREATE INDEX "ix_follow_ups_petition_id_stage" ON "follow_ups" ("petition_id", "stage");
