-- 督办 (Art. 40): supervisions with the addressee's written feedback, and the proposals the sweep raises for
-- overdue matters (one per matter, clock and due date).
CREATE TABLE "supervisions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_supervisions" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "form" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "issuer_unit_id" TEXT NOT NULL,
    "issued_by_user_id" TEXT NOT NULL,
    "addressee_unit_id" TEXT NOT NULL,
    "note" TEXT NULL,
    "issued_at" INTEGER NOT NULL,
    "issued_on" TEXT NOT NULL,
    "sort_key" TEXT NOT NULL,
    "due_on" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "proposal_id" TEXT NULL,
    "feedback_at" INTEGER NULL,
    "feedback_on" TEXT NULL,
    "feedback_text" TEXT NULL,
    "feedback_measures" TEXT NULL,
    "feedback_by_user_id" TEXT NULL,
    "returns" INTEGER NOT NULL,
    "return_reason" TEXT NULL,
    "late" INTEGER NOT NULL,
    "escalated_at" INTEGER NULL,
    "escalated_to_unit_id" TEXT NULL,
    "closed_at" INTEGER NULL,
    "closed_by_user_id" TEXT NULL,
    "close_note" TEXT NULL,
    "version" INTEGER NOT NULL
);
CREATE INDEX "ix_supervisions_addressee_unit_id" ON "supervisions" ("addressee_unit_id");
CREATE INDEX "ix_supervisions_issuer_unit_id" ON "supervisions" ("issuer_unit_id");
CREATE INDEX "ix_supervisions_petition_id" ON "supervisions" ("petition_id");
CREATE UNIQUE INDEX "ix_supervisions_sort_key" ON "supervisions" ("sort_key");
CREATE INDEX "ix_supervisions_status_due_on" ON "supervisions" ("status", "due_on");

CREATE TABLE "supervision_proposals" (
    "id" TEXT NOT NULL CONSTRAINT "pk_supervision_proposals" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "holding_unit_id" TEXT NOT NULL,
    "clock_name" TEXT NOT NULL,
    "clock_due_on" TEXT NOT NULL,
    "raised_at" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "decided_by_user_id" TEXT NULL,
    "decided_at" INTEGER NULL,
    "dismiss_reason" TEXT NULL,
    "supervision_id" TEXT NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "ix_supervision_proposals_petition_id_clock_name_clock_due_on" ON "supervision_proposals" ("petition_id", "clock_name", "clock_due_on");
CREATE INDEX "ix_supervision_proposals_status_raised_at" ON "supervision_proposals" ("status", "raised_at");
