-- 领导包案 (Art. 18): ownerships of hard matters by one leader or two (双包案), their plans (一案一策),
-- progress notes and outcomes (三到位一处理).
CREATE TABLE "ownerships" (
    "id" TEXT NOT NULL CONSTRAINT "pk_ownerships" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT NULL,
    "assigned_at" INTEGER NOT NULL,
    "assigned_by_user_id" TEXT NOT NULL,
    "assigned_by_unit_id" TEXT NOT NULL,
    "plan_summary" TEXT NULL,
    "plan_updated_at" INTEGER NULL,
    "ended_at" INTEGER NULL,
    "ended_by_user_id" TEXT NULL,
    "end_note" TEXT NULL,
    "resolved" INTEGER NULL,
    "resolved_note" TEXT NULL,
    "counselled" INTEGER NULL,
    "counselled_note" TEXT NULL,
    "relieved" INTEGER NULL,
    "relieved_note" TEXT NULL,
    "handled_by_law" INTEGER NULL,
    "handled_by_law_note" TEXT NULL,
    "outcome_summary" TEXT NULL,
    "version" INTEGER NOT NULL
);
CREATE INDEX "ix_ownerships_assigned_at_id" ON "ownerships" ("assigned_at", "id");
CREATE INDEX "ix_ownerships_petition_id" ON "ownerships" ("petition_id");

CREATE TABLE "ownership_leaders" (
    "id" TEXT NOT NULL CONSTRAINT "pk_ownership_leaders" PRIMARY KEY,
    "ownership_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "capacity" TEXT NOT NULL,
    "assigned_at" INTEGER NOT NULL,
    "released_at" INTEGER NULL
);
CREATE INDEX "ix_ownership_leaders_ownership_id" ON "ownership_leaders" ("ownership_id");
CREATE INDEX "ix_ownership_leaders_user_id_released_at" ON "ownership_leaders" ("user_id", "released_at");

CREATE TABLE "ownership_steps" (
    "id" TEXT NOT NULL CONSTRAINT "pk_ownership_steps" PRIMARY KEY,
    "ownership_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "due_on" TEXT NOT NULL,
    "responsible_unit_id" TEXT NULL,
    "done_at" INTEGER NULL,
    "done_by_user_id" TEXT NULL,
    "done_note" TEXT NULL
);
CREATE INDEX "ix_ownership_steps_ownership_id_position" ON "ownership_steps" ("ownership_id", "position");

CREATE TABLE "ownership_progress" (
    "id" TEXT NOT NULL CONSTRAINT "pk_ownership_progress" PRIMARY KEY,
    "ownership_id" TEXT NOT NULL,
    "at" INTEGER NOT NULL,
    "recorded_at" INTEGER NOT NULL,
    "by_user_id" TEXT NOT NULL,
    "text" TEXT NOT NULL
);
CREATE INDEX "ix_ownership_progress_ownership_id_at" ON "ownership_progress" ("ownership_id", "at");
