-- 0001 initial schema (SQLite). Written from 'xinfang schema'; then the rules the model cannot express.
CREATE TABLE "calendar_entries" (
    "year" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "is_off_day" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "pk_calendar_entries" PRIMARY KEY ("year", "date")
);


CREATE TABLE "categories" (
    "code" TEXT NOT NULL CONSTRAINT "pk_categories" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "parent_code" TEXT NULL,
    "level" INTEGER NOT NULL
);


CREATE TABLE "data_protection_keys" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_data_protection_keys" PRIMARY KEY AUTOINCREMENT,
    "friendly_name" TEXT NOT NULL,
    "xml" TEXT NOT NULL
);


CREATE TABLE "idempotency_records" (
    "key" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "petition_id" TEXT NOT NULL,
    "response" TEXT NULL,
    "expires_at" INTEGER NOT NULL,
    CONSTRAINT "pk_idempotency_records" PRIMARY KEY ("user_id", "key")
);


CREATE TABLE "identity_roles" (
    "id" TEXT NOT NULL CONSTRAINT "pk_identity_roles" PRIMARY KEY,
    "name" TEXT NULL,
    "normalized_name" TEXT NULL,
    "concurrency_stamp" TEXT NULL
);


CREATE TABLE "identity_users" (
    "id" TEXT NOT NULL CONSTRAINT "pk_identity_users" PRIMARY KEY,
    "display_name" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "user_name" TEXT NULL,
    "normalized_user_name" TEXT NULL,
    "email" TEXT NULL,
    "normalized_email" TEXT NULL,
    "email_confirmed" INTEGER NOT NULL,
    "password_hash" TEXT NULL,
    "security_stamp" TEXT NULL,
    "concurrency_stamp" TEXT NULL,
    "phone_number" TEXT NULL,
    "phone_number_confirmed" INTEGER NOT NULL,
    "two_factor_enabled" INTEGER NOT NULL,
    "lockout_end" INTEGER NULL,
    "lockout_enabled" INTEGER NOT NULL,
    "access_failed_count" INTEGER NOT NULL
);


CREATE TABLE "number_sequences" (
    "region_code" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last_value" INTEGER NOT NULL,
    CONSTRAINT "pk_number_sequences" PRIMARY KEY ("region_code", "year")
);


CREATE TABLE "petition_access" (
    "unit_id" TEXT NOT NULL,
    "petition_id" TEXT NOT NULL,
    "registered_at" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    CONSTRAINT "pk_petition_access" PRIMARY KEY ("unit_id", "petition_id")
);


CREATE TABLE "petition_events" (
    "id" TEXT NOT NULL CONSTRAINT "pk_petition_events" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "at" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "from_status" TEXT NULL,
    "to_status" TEXT NOT NULL,
    "actor_kind" TEXT NOT NULL,
    "actor_user_id" TEXT NULL,
    "actor_unit_id" TEXT NULL,
    "target_unit_id" TEXT NULL,
    "note" TEXT NULL,
    "data" TEXT NULL
);


CREATE TABLE "petitions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_petitions" PRIMARY KEY,
    "number" TEXT NOT NULL,
    "query_code_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "received_at" INTEGER NOT NULL,
    "registered_at" INTEGER NOT NULL,
    "registered_by_user_id" TEXT NULL,
    "receiving_unit_id" TEXT NOT NULL,
    "holding_unit_id" TEXT NOT NULL,
    "disposing_unit_id" TEXT NULL,
    "responsible_unit_id" TEXT NULL,
    "responsible_unit_ids" TEXT NOT NULL,
    "deciding_unit_id" TEXT NULL,
    "region_code" TEXT NOT NULL,
    "category_code" TEXT NULL,
    "title" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "headcount" INTEGER NOT NULL,
    "first_time" INTEGER NOT NULL,
    "repeat" INTEGER NOT NULL,
    "group" INTEGER NOT NULL,
    "skip_level" INTEGER NOT NULL,
    "urgent" INTEGER NOT NULL,
    "backlog" INTEGER NOT NULL,
    "anonymous" INTEGER NOT NULL,
    "litigation" INTEGER NOT NULL,
    "repeat_of_id" TEXT NULL,
    "accused_unit_id" TEXT NULL,
    "accused_person_name" TEXT NULL,
    "route" INTEGER NULL,
    "decision" TEXT NULL,
    "redirect" TEXT NULL,
    "extension_used" INTEGER NOT NULL,
    "disposed_at" INTEGER NULL,
    "accepted_at" INTEGER NULL,
    "replied_on" TEXT NULL,
    "review_requested_on" TEXT NULL,
    "reviewed_on" TEXT NULL,
    "re_review_requested_on" TEXT NULL,
    "closed_at" INTEGER NULL,
    "clocks" TEXT NOT NULL,
    "suspended_clocks" TEXT NOT NULL,
    "warning" TEXT NOT NULL,
    "next_sweep_at" INTEGER NULL,
    "version" INTEGER NOT NULL,
    "last_event_sequence" INTEGER NOT NULL
);


CREATE TABLE "routing_rules" (
    "id" TEXT NOT NULL CONSTRAINT "pk_routing_rules" PRIMARY KEY,
    "region_code" TEXT NOT NULL,
    "category_code" TEXT NULL,
    "unit_id" TEXT NOT NULL
);


CREATE TABLE "units" (
    "id" TEXT NOT NULL CONSTRAINT "pk_units" PRIMARY KEY,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "parent_id" TEXT NULL,
    "superior_id" TEXT NULL,
    "path" TEXT NOT NULL,
    "version" INTEGER NOT NULL
);


CREATE TABLE "identity_role_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_identity_role_claims" PRIMARY KEY AUTOINCREMENT,
    "role_id" TEXT NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "fk_identity_role_claims_identity_roles_role_id" FOREIGN KEY ("role_id") REFERENCES "identity_roles" ("id") ON DELETE CASCADE
);


CREATE TABLE "identity_user_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_identity_user_claims" PRIMARY KEY AUTOINCREMENT,
    "user_id" TEXT NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "fk_identity_user_claims_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "identity_users" ("id") ON DELETE CASCADE
);


CREATE TABLE "identity_user_logins" (
    "login_provider" TEXT NOT NULL,
    "provider_key" TEXT NOT NULL,
    "provider_display_name" TEXT NULL,
    "user_id" TEXT NOT NULL,
    CONSTRAINT "pk_identity_user_logins" PRIMARY KEY ("login_provider", "provider_key"),
    CONSTRAINT "fk_identity_user_logins_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "identity_users" ("id") ON DELETE CASCADE
);


CREATE TABLE "identity_user_roles" (
    "user_id" TEXT NOT NULL,
    "role_id" TEXT NOT NULL,
    CONSTRAINT "pk_identity_user_roles" PRIMARY KEY ("user_id", "role_id"),
    CONSTRAINT "fk_identity_user_roles_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "identity_users" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_identity_user_roles_identity_roles_role_id" FOREIGN KEY ("role_id") REFERENCES "identity_roles" ("id") ON DELETE CASCADE
);


CREATE TABLE "identity_user_tokens" (
    "user_id" TEXT NOT NULL,
    "login_provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NULL,
    CONSTRAINT "pk_identity_user_tokens" PRIMARY KEY ("user_id", "login_provider", "name"),
    CONSTRAINT "fk_identity_user_tokens_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "identity_users" ("id") ON DELETE CASCADE
);


CREATE TABLE "petitioners" (
    "id" TEXT NOT NULL CONSTRAINT "pk_petitioners" PRIMARY KEY,
    "petition_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "id_number" TEXT NULL,
    "phone" TEXT NULL,
    "address" TEXT NULL,
    "is_representative" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    CONSTRAINT "fk_petitioners_petitions_petition_id" FOREIGN KEY ("petition_id") REFERENCES "petitions" ("id") ON DELETE CASCADE
);


CREATE INDEX "ix_idempotency_records_expires_at" ON "idempotency_records" ("expires_at");


CREATE INDEX "ix_identity_role_claims_role_id" ON "identity_role_claims" ("role_id");


CREATE UNIQUE INDEX "role_name_index" ON "identity_roles" ("normalized_name");


CREATE INDEX "ix_identity_user_claims_user_id" ON "identity_user_claims" ("user_id");


CREATE INDEX "ix_identity_user_logins_user_id" ON "identity_user_logins" ("user_id");


CREATE INDEX "ix_identity_user_roles_role_id" ON "identity_user_roles" ("role_id");


CREATE INDEX "email_index" ON "identity_users" ("normalized_email");


CREATE INDEX "ix_identity_users_unit_id" ON "identity_users" ("unit_id");


CREATE UNIQUE INDEX "user_name_index" ON "identity_users" ("normalized_user_name");


CREATE INDEX "ix_petition_access_petition_id" ON "petition_access" ("petition_id");


CREATE INDEX "ix_petition_access_unit_id_registered_at_number" ON "petition_access" ("unit_id", "registered_at", "number");


CREATE UNIQUE INDEX "ix_petition_events_petition_id_sequence" ON "petition_events" ("petition_id", "sequence");


CREATE INDEX "ix_petitioners_id_number" ON "petitioners" ("id_number");


CREATE INDEX "ix_petitioners_petition_id" ON "petitioners" ("petition_id");


CREATE INDEX "ix_petitioners_phone" ON "petitioners" ("phone");


CREATE INDEX "ix_petitions_holding_unit_id" ON "petitions" ("holding_unit_id");


CREATE INDEX "ix_petitions_next_sweep_at" ON "petitions" ("next_sweep_at");


CREATE UNIQUE INDEX "ix_petitions_number" ON "petitions" ("number");


CREATE INDEX "ix_petitions_repeat_of_id" ON "petitions" ("repeat_of_id");


CREATE INDEX "ix_petitions_status_warning" ON "petitions" ("status", "warning");


CREATE UNIQUE INDEX "ix_routing_rules_region_code_category_code_unit_id" ON "routing_rules" ("region_code", "category_code", "unit_id");


CREATE UNIQUE INDEX "ix_units_code" ON "units" ("code");


CREATE INDEX "ix_units_parent_id" ON "units" ("parent_id");


CREATE INDEX "ix_units_path" ON "units" ("path");




-- The timeline is append-only: no event is ever changed or removed.
CREATE TRIGGER petition_events_no_update BEFORE UPDATE ON petition_events
BEGIN SELECT RAISE(ABORT, 'petition_events is append-only'); END;
CREATE TRIGGER petition_events_no_delete BEFORE DELETE ON petition_events
BEGIN SELECT RAISE(ABORT, 'petition_events is append-only'); END;
