-- 类案: a cluster's lead unit, common policy measure and the snapshot of its members (clusters are computed on request).
CREATE TABLE case_cluster_resolutions (
    id uuid NOT NULL,
    cluster_key character varying(80) NOT NULL,
    lead_unit_id uuid NOT NULL,
    measure character varying(5000) NOT NULL,
    terms character varying(200) NOT NULL,
    member_ids text NOT NULL,
    designated_at timestamp with time zone NOT NULL,
    designated_by_user_id uuid NOT NULL,
    designated_by_unit_id uuid NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_case_cluster_resolutions PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_case_cluster_resolutions_cluster_key ON case_cluster_resolutions (cluster_key);
CREATE INDEX ix_case_cluster_resolutions_lead_unit_id ON case_cluster_resolutions (lead_unit_id);
-- 回访: follow-ups after an answer, one stage each.
CREATE TABLE follow_ups (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    stage text NOT NULL,
    channel text NOT NULL,
    result character varying(2000) NOT NULL,
    reached_petitioner boolean NOT NULL,
    satisfaction text NULL,
    recorded_at timestamp with time zone NOT NULL,
    recorded_by_user_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    CONSTRAINT pk_follow_ups PRIMARY KEY (id)
);
CREATE INDEX ix_follow_ups_petition_id_stage ON follow_ups (petition_id, stage);
