-- 领导包案 (Art. 18): ownerships of hard matters by one leader or two (双包案), their plans (一案一策),
-- progress notes and outcomes (三到位一处理).
CREATE TABLE ownerships (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    status character varying(20) NOT NULL,
    note character varying(500) NULL,
    assigned_at timestamp with time zone NOT NULL,
    assigned_by_user_id uuid NOT NULL,
    assigned_by_unit_id uuid NOT NULL,
    plan_summary character varying(2000) NULL,
    plan_updated_at timestamp with time zone NULL,
    ended_at timestamp with time zone NULL,
    ended_by_user_id uuid NULL,
    end_note character varying(2000) NULL,
    resolved boolean NULL,
    resolved_note character varying(2000) NULL,
    counselled boolean NULL,
    counselled_note character varying(2000) NULL,
    relieved boolean NULL,
    relieved_note character varying(2000) NULL,
    handled_by_law boolean NULL,
    handled_by_law_note character varying(2000) NULL,
    outcome_summary character varying(2000) NULL,
    version integer NOT NULL,
    CONSTRAINT pk_ownerships PRIMARY KEY (id)
);
CREATE INDEX ix_ownerships_assigned_at_id ON ownerships (assigned_at, id);
CREATE INDEX ix_ownerships_petition_id ON ownerships (petition_id);

CREATE TABLE ownership_leaders (
    id uuid NOT NULL,
    ownership_id uuid NOT NULL,
    user_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    capacity character varying(20) NOT NULL,
    assigned_at timestamp with time zone NOT NULL,
    released_at timestamp with time zone NULL,
    CONSTRAINT pk_ownership_leaders PRIMARY KEY (id)
);
CREATE INDEX ix_ownership_leaders_ownership_id ON ownership_leaders (ownership_id);
CREATE INDEX ix_ownership_leaders_user_id_released_at ON ownership_leaders (user_id, released_at);

CREATE TABLE ownership_steps (
    id uuid NOT NULL,
    ownership_id uuid NOT NULL,
    position integer NOT NULL,
    title character varying(200) NOT NULL,
    due_on date NOT NULL,
    responsible_unit_id uuid NULL,
    done_at timestamp with time zone NULL,
    done_by_user_id uuid NULL,
    done_note character varying(500) NULL,
    CONSTRAINT pk_ownership_steps PRIMARY KEY (id)
);
CREATE INDEX ix_ownership_steps_ownership_id_position ON ownership_steps (ownership_id, position);

CREATE TABLE ownership_progress (
    id uuid NOT NULL,
    ownership_id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    by_user_id uuid NOT NULL,
    text character varying(2000) NOT NULL,
    CONSTRAINT pk_ownership_progress PRIMARY KEY (id)
);
CREATE INDEX ix_ownership_progress_ownership_id_at ON ownership_progress (ownership_id, at);
