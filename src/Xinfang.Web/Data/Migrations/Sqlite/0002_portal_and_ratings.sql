-- 0002 public portal (query-code throttling, one-time challenges) and satisfaction ratings (SQLite).
ALTER TABLE "petitions" ADD COLUMN "re_reviewed_on" TEXT NULL;

CREATE TABLE "query_attempts" (
    "number" TEXT NOT NULL CONSTRAINT "pk_query_attempts" PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "window_started_at" INTEGER NOT NULL,
    "locked_until" INTEGER NULL
);

CREATE TABLE "satisfaction_ratings" (
    "id" TEXT NOT NULL CONSTRAINT "pk_satisfaction_ratings" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "comment" TEXT NULL,
    "channel" TEXT NOT NULL,
    "recorded_at" INTEGER NOT NULL,
    "recorded_by_user_id" TEXT NULL
);

CREATE TABLE "used_challenges" (
    "nonce" TEXT NOT NULL CONSTRAINT "pk_used_challenges" PRIMARY KEY,
    "expires_at" INTEGER NOT NULL,
    "receipt" TEXT NULL
);

CREATE UNIQUE INDEX "ix_satisfaction_ratings_petition_id_stage" ON "satisfaction_ratings" ("petition_id", "stage");
CREATE INDEX "ix_used_challenges_expires_at" ON "used_challenges" ("expires_at");
