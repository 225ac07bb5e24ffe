-- Measures (domain.md "Measures"): one facts row per petition and the maintained per-scope daily counts the dashboard sums.
-- Existing petitions are counted after 'xinfang measures rebuild' (see docs/operations.md).
CREATE TABLE "measure_counts" (
    "scope_unit_id" TEXT NOT NULL,
    "dim" TEXT NOT NULL,
    "fact" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "days" INTEGER NOT NULL,
    CONSTRAINT "pk_measure_counts" PRIMARY KEY ("scope_unit_id", "dim", "fact", "day", "value")
);
CREATE TABLE "measure_facts" (
    "petition_id" TEXT NOT NULL CONSTRAINT "pk_measure_facts" PRIMARY KEY,
    "receiving_unit_id" TEXT NOT NULL,
    "received_on" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "repeat" INTEGER NOT NULL,
    "disposal_due_on" TEXT NOT NULL,
    "disposed_on" TEXT NULL,
    "withdrawn" INTEGER NOT NULL,
    "responsible_unit_id" TEXT NULL,
    "handle_due_on" TEXT NULL,
    "replied_on" TEXT NULL,
    "closed_on" TEXT NULL,
    "review_requested" INTEGER NOT NULL,
    "repeated_within90" INTEGER NOT NULL,
    "rating" TEXT NULL
);
CREATE INDEX "ix_measure_facts_receiving_unit_id_received_on" ON "measure_facts" ("receiving_unit_id", "received_on");
CREATE INDEX "ix_measure_facts_responsible_unit_id_handle_due_on" ON "measure_facts" ("responsible_unit_id", "handle_due_on");
