-- 0004 search (SQLite): exact look-ups by petitioner name, and full text over title and content.
CREATE INDEX "ix_petitioners_name" ON "petitioners" ("name");

-- The full-text key of a petition: an integer that grows as petitions are registered, so that the index
-- can be read newest first and stop at a page (petitions.rowid is no such key: VACUUM may renumber it).
CREATE TABLE "petition_search_keys" (
    "row_id" INTEGER NOT NULL CONSTRAINT "pk_petition_search_keys" PRIMARY KEY,
    "petition_id" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_petition_search_keys_petition_id" ON "petition_search_keys" ("petition_id");

-- Trigram tokens find any substring of 3 or more characters, Chinese included, without a word segmenter.
-- Contentless (the text stays in petitions only) with delete support: writes add just the index entries.
CREATE VIRTUAL TABLE "petition_search" USING fts5(title, content, content='', contentless_delete=1, tokenize='trigram');

-- Existing petitions, oldest first.
INSERT INTO "petition_search_keys" ("petition_id") SELECT "id" FROM "petitions" ORDER BY "registered_at", "number";
INSERT INTO "petition_search" (rowid, title, content)
SELECT k."row_id", p."title", p."content" FROM "petition_search_keys" k JOIN "petitions" p ON p."id" = k."petition_id";

-- Kept in step by the store itself, whoever writes (registration, portal, imports).
CREATE TRIGGER petitions_search_insert AFTER INSERT ON petitions
BEGIN
    INSERT INTO petition_search_keys (petition_id) VALUES (new.id);
    INSERT INTO petition_search (rowid, title, content)
    SELECT row_id, new.title, new.content FROM petition_search_keys WHERE petition_id = new.id;
END;
CREATE TRIGGER petitions_search_update AFTER UPDATE OF title, content ON petitions
WHEN old.title IS NOT new.title OR old.content IS NOT new.content
BEGIN
    DELETE FROM petition_search WHERE rowid = (SELECT row_id FROM petition_search_keys WHERE petition_id = old.id);
    INSERT INTO petition_search (rowid, title, content)
    SELECT row_id, new.title, new.content FROM petition_search_keys WHERE petition_id = new.id;
END;
CREATE TRIGGER petitions_search_delete AFTER DELETE ON petitions
BEGIN
    DELETE FROM petition_search WHERE rowid = (SELECT row_id FROM petition_search_keys WHERE petition_id = old.id);
    DELETE FROM petition_search_keys WHERE petition_id = old.id;
END;
