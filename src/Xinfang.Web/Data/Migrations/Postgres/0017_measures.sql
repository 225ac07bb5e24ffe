-- Measures (domain.md "Measures"): one facts row per petition and the maintained per-scope daily counts the dashboard sums.
-- Existing petitions are counted after 'xinfang measures rebuild' (see docs/operations.md).
CREATE TABLE measure_counts (
    scope_unit_id uuid NOT NULL,
    dim character varying(16) NOT NULL,
    fact character varying(32) NOT NULL,
    day date NOT NULL,
    value character varying(40) NOT NULL,
    n bigint NOT NULL,
    days bigint NOT NULL,
    CONSTRAINT pk_measure_counts PRIMARY KEY (scope_unit_id, dim, fact, day, value)
);
CREATE TABLE measure_facts (
    petition_id uuid NOT NULL,
    receiving_unit_id uuid NOT NULL,
    received_on date NOT NULL,
    category character varying(8) NOT NULL,
    channel text NOT NULL,
    region_code character varying(9) NOT NULL,
    repeat boolean NOT NULL,
    disposal_due_on date NOT NULL,
    disposed_on date,
    withdrawn boolean NOT NULL,
    responsible_unit_id uuid,
    handle_due_on date,
    replied_on date,
    closed_on date,
    review_requested boolean NOT NULL,
    repeated_within90 boolean NOT NULL,
    rating text,
    CONSTRAINT pk_measure_facts PRIMARY KEY (petition_id)
);
CREATE INDEX ix_measure_facts_receiving_unit_id_received_on ON measure_facts (receiving_unit_id, received_on);
CREATE INDEX ix_measure_facts_responsible_unit_id_handle_due_on ON measure_facts (responsible_unit_id, handle_due_on);
