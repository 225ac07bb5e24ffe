-- 0008 personal data at rest (PostgreSQL; issue #8). Identity numbers, phones, addresses (and names when configured)
-- are stored as SM4 envelopes (Cryptography/PersonalDataCipher), wider than the values; exact look-ups compare keyed
-- SM3 blind indexes instead of the clear values, so the clear-value indexes go. SQL cannot encrypt: the rows stored
-- before this migration (key_id NULL) are encrypted by the application right after migrating
-- (Cryptography/PersonalDataRewrite), in batches; VACUUM FULL afterwards drops the old clear row versions.
ALTER TABLE petitioners ALTER COLUMN name TYPE character varying(600);
ALTER TABLE petitioners ALTER COLUMN id_number TYPE character varying(200);
ALTER TABLE petitioners ALTER COLUMN phone TYPE character varying(200);
ALTER TABLE petitioners ALTER COLUMN address TYPE character varying(1400);
ALTER TABLE petitioners ADD key_id character varying(20);
ALTER TABLE petitioners ADD blind_key_id character varying(20);
ALTER TABLE petitioners ADD id_number_key character varying(32);
ALTER TABLE petitioners ADD phone_key character varying(32);
ALTER TABLE petitioners ADD name_key character varying(32);
DROP INDEX ix_petitioners_id_number;
DROP INDEX ix_petitioners_phone;
DROP INDEX ix_petitioners_name;
CREATE INDEX ix_petitioners_id_number_key ON petitioners (id_number_key);
CREATE INDEX ix_petitioners_phone_key ON petitioners (phone_key);
CREATE INDEX ix_petitioners_name_key ON petitioners (name_key);
CREATE INDEX ix_petitioners_key_id ON petitioners (key_id);
CREATE INDEX ix_petitioners_blind_key_id ON petitioners (blind_key_id);
