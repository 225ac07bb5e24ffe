-- Art. 30 ¶3: the accused person's own staff account, kept away from the matter in any unit.
ALTER TABLE petitions ADD COLUMN accused_user_id uuid NULL;
-- Art. 28 ¶3: recusals (回避) of staff with a direct interest in a matter.
CREATE TABLE recusals (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    user_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    recorded_by_user_id uuid NOT NULL,
    reason character varying(500) NOT NULL,
    at timestamp with time zone NOT NULL,
    after_sequence integer NOT NULL,
    CONSTRAINT pk_recusals PRIMARY KEY (id)
);
CREATE INDEX ix_recusals_petition_id_user_id ON recusals (petition_id, user_id);
CREATE INDEX ix_recusals_user_id ON recusals (user_id);
-- Like the events and the record of who saw personal data, a recusal is never rewritten or withdrawn
-- (append_only() comes from 0005_workbench).
CREATE TRIGGER recusals_no_change BEFORE UPDATE OR DELETE ON recusals
    FOR EACH ROW EXECUTE FUNCTION append_only();
