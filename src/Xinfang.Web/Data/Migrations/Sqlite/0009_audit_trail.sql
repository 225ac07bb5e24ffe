-- 0009 audit trail (SQLite): one SM3 hash chain of security-relevant events (等保2.0 安全审计), append-only.
CREATE TABLE "audit_entries" (
    "sequence" INTEGER NOT NULL CONSTRAINT "pk_audit_entries" PRIMARY KEY,
    "at" INTEGER NOT NULL,
    "actor_kind" TEXT NOT NULL,
    "actor_user_id" TEXT NULL,
    "actor_user_name" TEXT NULL,
    "actor_unit_id" TEXT NULL,
    "client_address" TEXT NULL,
    "action" TEXT NOT NULL,
    "target_kind" TEXT NULL,
    "target_id" TEXT NULL,
    "detail" TEXT NULL,
    "algorithm" TEXT NOT NULL,
    "previous_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);
CREATE INDEX "ix_audit_entries_at" ON "audit_entries" ("at");
CREATE INDEX "ix_audit_entries_actor_user_id_sequence" ON "audit_entries" ("actor_user_id", "sequence");
CREATE INDEX "ix_audit_entries_target_id_sequence" ON "audit_entries" ("target_id", "sequence");

-- Where a retention purge cut the head of the chain (the last removed row), so verification starts there.
CREATE TABLE "audit_checkpoints" (
    "sequence" INTEGER NOT NULL CONSTRAINT "pk_audit_checkpoints" PRIMARY KEY,
    "hash" TEXT NOT NULL,
    "at" INTEGER NOT NULL,
    "purged_at" INTEGER NOT NULL,
    "purged_count" INTEGER NOT NULL
);

-- Rows are never rewritten. A row may be removed only by the retention purge: older than 180 days (the
-- legal minimum, 网络安全法 Art. 21) and behind a checkpoint recorded in the same transaction.
-- "at" holds UTC ticks (100 ns since 0001-01-01); 621355968000000000 is the Unix epoch in ticks.
CREATE TRIGGER "audit_entries_no_update" BEFORE UPDATE ON "audit_entries" BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
CREATE TRIGGER "audit_entries_purge_only" BEFORE DELETE ON "audit_entries"
    WHEN NOT (OLD."at" < (CAST(strftime('%s', 'now') AS INTEGER) - 15552000) * 10000000 + 621355968000000000
              AND EXISTS (SELECT 1 FROM "audit_checkpoints" c WHERE c."sequence" >= OLD."sequence"))
    BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only (only rows older than 180 days behind a checkpoint may be purged)'); END;
CREATE TRIGGER "audit_checkpoints_no_update" BEFORE UPDATE ON "audit_checkpoints" BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER "audit_checkpoints_no_delete" BEFORE DELETE ON "audit_checkpoints" BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
