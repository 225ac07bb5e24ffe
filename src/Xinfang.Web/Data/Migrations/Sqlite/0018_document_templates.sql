-- Written-notice templates (文书模板) an administrator edits; without a row the shipped default applies.
CREATE TABLE "document_templates" (
    "kind" TEXT NOT NULL CONSTRAINT "pk_document_templates" PRIMARY KEY,
    "body" TEXT NOT NULL,
    "updated_at" INTEGER NOT NULL,
    "updated_by_user_id" TEXT NULL
);
