-- Written-notice templates (文书模板) an administrator edits; without a row the shipped default applies.
CREATE TABLE document_templates (
    kind character varying(40) NOT NULL,
    body character varying(20000) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    updated_by_user_id uuid NULL,
    CONSTRAINT pk_document_templates PRIMARY KEY (kind)
);
