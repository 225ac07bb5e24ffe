-- 0008 personal data at rest (SQLite; issue #8). Identity numbers, phones, addresses (and names when configured)
-- are stored as SM4 envelopes (Cryptography/PersonalDataCipher); exact look-ups compare keyed SM3 blind indexes
-- instead of the clear values, so the clear-value indexes go. SQLite does not enforce VARCHAR lengths: the wider
-- envelopes need no column change here. SQL cannot encrypt: the rows stored before this migration (key_id NULL)
-- are encrypted by the application right after migrating (Cryptography/PersonalDataRewrite), in batches.
ALTER TABLE "petitioners" ADD "key_id" TEXT NULL;
ALTER TABLE "petitioners" ADD "blind_key_id" TEXT NULL;
ALTER TABLE "petitioners" ADD "id_number_key" TEXT NULL;
ALTER TABLE "petitioners" ADD "phone_key" TEXT NULL;
ALTER TABLE "petitioners" ADD "name_key" TEXT NULL;
DROP INDEX "ix_petitioners_id_number";
DROP INDEX "ix_petitioners_phone";
DROP INDEX "ix_petitioners_name";
CREATE INDEX "ix_petitioners_id_number_key" ON "petitioners" ("id_number_key");
CREATE INDEX "ix_petitioners_phone_key" ON "petitioners" ("phone_key");
CREATE INDEX "ix_petitioners_name_key" ON "petitioners" ("name_key");
CREATE INDEX "ix_petitioners_key_id" ON "petitioners" ("key_id");
CREATE INDEX "ix_petitioners_blind_key_id" ON "petitioners" ("blind_key_id");
