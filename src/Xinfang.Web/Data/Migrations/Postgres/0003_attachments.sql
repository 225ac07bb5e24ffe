-- 0003 attachments (PostgreSQL). The files themselves live under Attachments:Root, outside the web root.
CREATE TABLE attachments (
    id uuid NOT NULL,
    petition_id uuid NOT NULL,
    file_name character varying(200) NOT NULL,
    content_type character varying(100) NOT NULL,
    size bigint NOT NULL,
    sha256 character varying(64) NOT NULL,
    source text NOT NULL,
    uploaded_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_attachments PRIMARY KEY (id)
);
CREATE INDEX ix_attachments_petition_id ON attachments (petition_id);
