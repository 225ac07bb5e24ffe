-- 0009 audit trail (PostgreSQL): one SM3 hash chain of security-relevant events (等保2.0 安全审计), append-only.
CREATE TABLE audit_entries (
    sequence bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_kind character varying(20) NOT NULL,
    actor_user_id uuid,
    actor_user_name character varying(256),
    actor_unit_id uuid,
    client_address character varying(64),
    action character varying(64) NOT NULL,
    target_kind character varying(32),
    target_id character varying(64),
    -- Text, not jsonb: the hash covers the exact characters written.
    detail character varying(4000),
    algorithm character varying(10) NOT NULL,
    previous_hash character varying(64) NOT NULL,
    hash character varying(64) NOT NULL,
    CONSTRAINT pk_audit_entries PRIMARY KEY (sequence)
);
CREATE INDEX ix_audit_entries_at ON audit_entries (at);
CREATE INDEX ix_audit_entries_actor_user_id_sequence ON audit_entries (actor_user_id, sequence);
CREATE INDEX ix_audit_entries_target_id_sequence ON audit_entries (target_id, sequence);

-- Where a retention purge cut the head of the chain (the last removed row), so verification starts there.
CREATE TABLE audit_checkpoints (
    sequence bigint NOT NULL,
    hash character varying(64) NOT NULL,
    at timestamp with time zone NOT NULL,
    purged_at timestamp with time zone NOT NULL,
    purged_count bigint NOT NULL,
    CONSTRAINT pk_audit_checkpoints PRIMARY KEY (sequence)
);

-- Rows are never rewritten. A row may be removed only by the retention purge: older than 180 days (the
-- legal minimum, 网络安全法 Art. 21) and behind a checkpoint recorded in the same transaction.
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE FUNCTION audit_entries_purge_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.at < now() - interval '180 days'
       AND EXISTS (SELECT 1 FROM audit_checkpoints c WHERE c.sequence >= OLD.sequence) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_entries is append-only (only rows older than 180 days behind a checkpoint may be purged)';
END;
$$;
CREATE TRIGGER audit_entries_purge_only BEFORE DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_purge_only();
CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION append_only();
