-- 0007 text models (SQLite): the trained category model, and the record of category corrections that makes it stale.
-- Case clusters (类案) are not stored: they are computed on request over one region and period of the caller's
-- jurisdiction, bounded in rows (see Analysis/CaseClusters.cs).
CREATE TABLE "text_models" (
    "id" TEXT NOT NULL CONSTRAINT "pk_text_models" PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "model" BLOB NOT NULL,
    "trained_at" INTEGER NOT NULL,
    "samples" INTEGER NOT NULL,
    "categories" INTEGER NOT NULL,
    "corrections_seen" INTEGER NOT NULL,
    "source" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_text_models_kind_version" ON "text_models" ("kind", "version");

CREATE TABLE "category_corrections" (
    "id" TEXT NOT NULL CONSTRAINT "pk_category_corrections" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "from_code" TEXT NULL,
    "to_code" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "at" INTEGER NOT NULL
);
CREATE INDEX "ix_category_corrections_at" ON "category_corrections" ("at");
CREATE INDEX "ix_category_corrections_petition_id_at" ON "category_corrections" ("petition_id", "at");
