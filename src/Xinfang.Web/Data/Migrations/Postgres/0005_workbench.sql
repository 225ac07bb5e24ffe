-- 0005 staff workbench (PostgreSQL): queue order, password age, unmasking of personal data.
ALTER TABLE petitions ADD COLUMN due_on date;
-- The earliest running duty clock (a window only when nothing else runs), as Petition.Refresh computes it.
UPDATE petitions SET due_on = COALESCE(
    (SELECT MIN((c->>'dueOn')::date) FROM jsonb_array_elements(petitions.clocks::jsonb) c
      WHERE c->>'state' = 'running' AND c->>'name' NOT IN ('objection', 'reviewRequest', 'reReviewRequest')),
    (SELECT MIN((c->>'dueOn')::date) FROM jsonb_array_elements(petitions.clocks::jsonb) c
      WHERE c->>'state' = 'running'));
CREATE INDEX ix_petitions_holding_unit_id_status_due_on ON petitions (holding_unit_id, status, due_on);

ALTER TABLE identity_users ADD COLUMN password_changed_at timestamp with time zone;

CREATE TABLE personal_data_reveals (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    user_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    reason character varying(500) NOT NULL,
    at timestamp with time zone NOT NULL,
    CONSTRAINT pk_personal_data_reveals PRIMARY KEY (id)
);
CREATE INDEX ix_personal_data_reveals_petition_id_at ON personal_data_reveals (petition_id, at);
-- Like the events, the record of who saw personal data is never rewritten.
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER personal_data_reveals_no_change BEFORE UPDATE OR DELETE ON personal_data_reveals
    FOR EACH ROW EXECUTE FUNCTION append_only();
