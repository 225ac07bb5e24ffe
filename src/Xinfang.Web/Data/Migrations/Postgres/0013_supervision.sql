-- 督办 (Art. 40): supervisions with the addressee's written feedback, and the proposals the sweep raises for
-- overdue matters (one per matter, clock and due date).
CREATE TABLE supervisions (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    number character varying(40) NOT NULL,
    form text NOT NULL,
    reasons character varying(400) NOT NULL,
    issuer_unit_id uuid NOT NULL,
    issued_by_user_id uuid NOT NULL,
    addressee_unit_id uuid NOT NULL,
    note character varying(2000) NULL,
    issued_at timestamp with time zone NOT NULL,
    issued_on date NOT NULL,
    sort_key character varying(60) NOT NULL,
    due_on date NOT NULL,
    status text NOT NULL,
    proposal_id uuid NULL,
    feedback_at timestamp with time zone NULL,
    feedback_on date NULL,
    feedback_text character varying(4000) NULL,
    feedback_measures character varying(2000) NULL,
    feedback_by_user_id uuid NULL,
    returns integer NOT NULL,
    return_reason character varying(1000) NULL,
    late boolean NOT NULL,
    escalated_at timestamp with time zone NULL,
    escalated_to_unit_id uuid NULL,
    closed_at timestamp with time zone NULL,
    closed_by_user_id uuid NULL,
    close_note character varying(1000) NULL,
    version integer NOT NULL,
    CONSTRAINT pk_supervisions PRIMARY KEY (id)
);
CREATE INDEX ix_supervisions_addressee_unit_id ON supervisions (addressee_unit_id);
CREATE INDEX ix_supervisions_issuer_unit_id ON supervisions (issuer_unit_id);
CREATE INDEX ix_supervisions_petition_id ON supervisions (petition_id);
CREATE UNIQUE INDEX ix_supervisions_sort_key ON supervisions (sort_key);
CREATE INDEX ix_supervisions_status_due_on ON supervisions (status, due_on);

CREATE TABLE supervision_proposals (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    number character varying(40) NOT NULL,
    holding_unit_id uuid NOT NULL,
    clock_name text NOT NULL,
    clock_due_on date NOT NULL,
    raised_at timestamp with time zone NOT NULL,
    status text NOT NULL,
    decided_by_user_id uuid NULL,
    decided_at timestamp with time zone NULL,
    dismiss_reason character varying(1000) NULL,
    supervision_id uuid NULL,
    version integer NOT NULL,
    CONSTRAINT pk_supervision_proposals PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_supervision_proposals_petition_id_clock_name_clock_due_on ON supervision_proposals (petition_id, clock_name, clock_due_on);
CREATE INDEX ix_supervision_proposals_status_raised_at ON supervision_proposals (status, raised_at);
