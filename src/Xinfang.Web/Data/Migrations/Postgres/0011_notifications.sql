-- In-app notices (站内提醒) of warnings, supervision, ownership, campaigns and urgent reports.
CREATE TABLE notifications (
    id uuid NOT NULL,
    recipient_unit_id uuid NOT NULL,
    recipient_user_id uuid NULL,
    kind character varying(40) NOT NULL,
    title character varying(200) NOT NULL,
    body character varying(2000) NULL,
    petition_id uuid NULL,
    link character varying(300) NULL,
    created_at timestamp with time zone NOT NULL,
    read_at timestamp with time zone NULL,
    read_by_user_id uuid NULL,
    CONSTRAINT pk_notifications PRIMARY KEY (id)
);
CREATE INDEX ix_notifications_petition_id ON notifications (petition_id);
CREATE INDEX ix_notifications_recipient_unit_id_read_at_created_at ON notifications (recipient_unit_id, read_at, created_at);
CREATE INDEX ix_notifications_recipient_user_id_read_at ON notifications (recipient_user_id, read_at);
