-- 0003 attachments (SQLite). The files themselves live under Attachments:Root, outside the web root.
CREATE TABLE "attachments" (
    "id" TEXT NOT NULL CONSTRAINT "pk_attachments" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "uploaded_at" INTEGER NOT NULL
);
CREATE INDEX "ix_attachments_petition_id" ON "attachments" ("petition_id");
