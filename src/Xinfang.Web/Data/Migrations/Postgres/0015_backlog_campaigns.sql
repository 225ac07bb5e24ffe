-- 积案化解 backlog campaigns (domain.md, "Supervision and accountability") and their listed matters.
CREATE TABLE backlog_campaigns (
    id uuid NOT NULL,
    name character varying(100) NOT NULL,
    unit_id uuid NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    min_repeats integer,
    open_longer_than_days integer,
    petitioning_after_final boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by_user_id uuid NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_backlog_campaigns PRIMARY KEY (id)
);
CREATE TABLE backlog_members (
    id uuid NOT NULL,
    campaign_id uuid NOT NULL,
    petition_id uuid NOT NULL,
    petition_number character varying(40) NOT NULL,
    owner_user_id uuid NOT NULL,
    responsible_unit_ids character varying(2000) NOT NULL,
    status text NOT NULL,
    listed_at timestamp with time zone NOT NULL,
    listed_by_user_id uuid NOT NULL,
    reported_at timestamp with time zone,
    reported_by_user_id uuid,
    report_summary character varying(2000),
    evidence character varying(2000),
    evidence_attachment_ids character varying(2000) NOT NULL,
    audited_at timestamp with time zone,
    audited_by_user_id uuid,
    audit_reasons character varying(2000),
    struck_off_at timestamp with time zone,
    recheck_due_on date,
    rechecked_at timestamp with time zone,
    recheck_result text,
    recheck_note character varying(2000),
    returns integer NOT NULL,
    relapses integer NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_backlog_members PRIMARY KEY (id)
);
CREATE INDEX ix_backlog_campaigns_created_at ON backlog_campaigns (created_at);
CREATE INDEX ix_backlog_campaigns_unit_id_created_at ON backlog_campaigns (unit_id, created_at);
CREATE INDEX ix_backlog_members_campaign_id_listed_at ON backlog_members (campaign_id, listed_at);
CREATE UNIQUE INDEX ix_backlog_members_campaign_id_petition_id ON backlog_members (campaign_id, petition_id);
CREATE INDEX ix_backlog_members_owner_user_id ON backlog_members (owner_user_id);
CREATE INDEX ix_backlog_members_petition_id ON backlog_members (petition_id);
CREATE INDEX ix_backlog_members_status_recheck_due_on ON backlog_members (status, recheck_due_on);
