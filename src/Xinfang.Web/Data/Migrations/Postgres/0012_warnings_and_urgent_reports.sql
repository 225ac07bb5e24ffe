-- Warnings: the overdue list reads warned matters most overdue first; each warning notice is sent once
-- (per clock, due date and colour). Art. 25: reports of major and urgent matters to the bureau one level up.
CREATE INDEX ix_petitions_warning_due_on_number ON petitions (warning, due_on, number);
CREATE TABLE warning_notices (
    petition_id uuid NOT NULL,
    clock character varying(20) NOT NULL,
    due_on date NOT NULL,
    colour character varying(10) NOT NULL,
    notification_id uuid NOT NULL,
    sent_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_warning_notices PRIMARY KEY (petition_id, clock, due_on, colour)
);
CREATE TABLE urgent_reports (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    from_unit_id uuid NOT NULL,
    to_unit_id uuid NOT NULL,
    reason character varying(500) NOT NULL,
    at_registration boolean NOT NULL,
    reported_at timestamp with time zone NOT NULL,
    reported_by_user_id uuid NULL,
    acknowledged_at timestamp with time zone NULL,
    acknowledged_by_user_id uuid NULL,
    CONSTRAINT pk_urgent_reports PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_urgent_reports_petition_id ON urgent_reports (petition_id);
CREATE INDEX ix_urgent_reports_to_unit_id_acknowledged_at_reported_at ON urgent_reports (to_unit_id, acknowledged_at, reported_at);
