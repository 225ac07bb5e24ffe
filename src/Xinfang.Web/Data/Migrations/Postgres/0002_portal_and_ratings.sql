-- 0002 public portal (query-code throttling, one-time challenges) and satisfaction ratings (PostgreSQL).
ALTER TABLE petitions ADD COLUMN re_reviewed_on date;

CREATE TABLE query_attempts (
    number character varying(40) NOT NULL,
    failures integer NOT NULL,
    window_started_at timestamp with time zone NOT NULL,
    locked_until timestamp with time zone,
    CONSTRAINT pk_query_attempts PRIMARY KEY (number)
);

CREATE TABLE satisfaction_ratings (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    stage text NOT NULL,
    level text NOT NULL,
    comment character varying(1000),
    channel text NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    recorded_by_user_id uuid,
    CONSTRAINT pk_satisfaction_ratings PRIMARY KEY (id)
);

CREATE TABLE used_challenges (
    nonce character varying(64) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    receipt character varying(2000),
    CONSTRAINT pk_used_challenges PRIMARY KEY (nonce)
);

CREATE UNIQUE INDEX ix_satisfaction_ratings_petition_id_stage ON satisfaction_ratings (petition_id, stage);
CREATE INDEX ix_used_challenges_expires_at ON used_challenges (expires_at);
