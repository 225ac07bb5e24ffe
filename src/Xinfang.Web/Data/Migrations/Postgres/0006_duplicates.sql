-- 0006 near-duplicates (PostgreSQL): band keys of each petition's text, and clerks' decisions on repeat links.
-- Existing petitions get their keys from `xinfang text reindex` (the migration leaves the table empty).
CREATE TABLE petition_band_keys (
    band_key bigint NOT NULL,
    petition_id uuid NOT NULL,
    CONSTRAINT pk_petition_band_keys PRIMARY KEY (band_key, petition_id)
);
CREATE INDEX ix_petition_band_keys_petition_id ON petition_band_keys (petition_id);

CREATE TABLE repeat_link_decisions (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    candidate_id uuid NOT NULL,
    decision character varying(10) NOT NULL,
    user_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    similarity double precision NOT NULL,
    CONSTRAINT pk_repeat_link_decisions PRIMARY KEY (id)
);
CREATE INDEX ix_repeat_link_decisions_petition_id_at ON repeat_link_decisions (petition_id, at);
-- A decision is a record: never rewritten (append_only() comes from 0005).
CREATE TRIGGER repeat_link_decisions_no_change BEFORE UPDATE OR DELETE ON repeat_link_decisions
    FOR EACH ROW EXECUTE FUNCTION append_only();
