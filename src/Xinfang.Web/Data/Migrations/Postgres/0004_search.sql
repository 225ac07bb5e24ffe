-- 0004 search (PostgreSQL): exact look-ups by petitioner name, and full text over title and content.
CREATE INDEX ix_petitioners_name ON petitioners (name);

-- Trigram GIN indexes answer ILIKE '%…%' for any substring of 3 or more characters, Chinese included, without
-- a word segmenter. They need a UTF-8 LC_CTYPE (initdb --locale=C.UTF-8): under plain C, pg_trgm drops
-- every Chinese character. Building the indexes covers the existing rows; PostgreSQL keeps them in step.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX ix_petitions_title_trgm ON petitions USING gin (title gin_trgm_ops);
CREATE INDEX ix_petitions_content_trgm ON petitions USING gin (content gin_trgm_ops);
