-- 0007 text models (PostgreSQL): the trained category model, and the record of category corrections that makes it stale.
-- Case clusters (类案) are not stored: they are computed on request over one region and period of the caller's
-- jurisdiction, bounded in rows (see Analysis/CaseClusters.cs).
CREATE TABLE text_models (
    id uuid NOT NULL,
    kind character varying(32) NOT NULL,
    version integer NOT NULL,
    model bytea NOT NULL,
    trained_at timestamp with time zone NOT NULL,
    samples integer NOT NULL,
    categories integer NOT NULL,
    corrections_seen integer NOT NULL,
    source character varying(16) NOT NULL,
    CONSTRAINT pk_text_models PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_text_models_kind_version ON text_models (kind, version);

CREATE TABLE category_corrections (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    from_code character varying(32),
    to_code character varying(32) NOT NULL,
    user_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    CONSTRAINT pk_category_corrections PRIMARY KEY (id)
);
CREATE INDEX ix_category_corrections_at ON category_corrections (at);
CREATE INDEX ix_category_corrections_petition_id_at ON category_corrections (petition_id, at);
