-- Kedja schema migration 0018_sso_two_factor_reminders (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 14 (ADR 45): each municipality's own OpenID Connect provider, its e-mail domains (home realm discovery) and
-- group-to-role mappings; two-factor for local accounts; reporting deadlines per level of the organisation; a calendar
-- feed per person; and the mail outbox that sends every reminder and notice once.

ALTER TABLE "tenants" ADD COLUMN "local_passwords" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "tenants" ADD COLUMN "require_two_factor" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "tenants" ADD COLUMN "reminder_days_before" INTEGER NOT NULL DEFAULT 3;

ALTER TABLE "users" ADD COLUMN "authenticator_key_protected" TEXT NULL;
ALTER TABLE "users" ADD COLUMN "last_totp_step" INTEGER NULL;
ALTER TABLE "users" ADD COLUMN "reminders_off" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "users" ADD COLUMN "calendar_secret_hash" TEXT NULL;

ALTER TABLE "memberships" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'Manual';

CREATE TABLE "tenant_identity_providers" (
    "tenant_id" TEXT NOT NULL CONSTRAINT "pk_tenant_identity_providers" PRIMARY KEY,
    "authority" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "client_secret_protected" TEXT NULL,
    "scopes" TEXT NOT NULL,
    "email_claim" TEXT NOT NULL,
    "name_claim" TEXT NOT NULL,
    "groups_claim" TEXT NOT NULL,
    "display_name" TEXT NULL,
    "enabled" INTEGER NOT NULL,
    "updated_at" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_tenant_identity_providers_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "tenant_email_domains" (
    "domain" TEXT NOT NULL CONSTRAINT "pk_tenant_email_domains" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    CONSTRAINT "fk_tenant_email_domains_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "tenant_group_mappings" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "unit_id" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_tenant_group_mappings" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_tenant_group_mappings_org_units_tenant_id_unit_id" FOREIGN KEY ("tenant_id", "unit_id") REFERENCES "org_units" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_tenant_group_mappings_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "period_deadlines" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "period_id" TEXT NOT NULL,
    "unit_kind" TEXT NOT NULL,
    "due_on" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_period_deadlines" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_period_deadlines_follow_up_periods_tenant_id_period_id" FOREIGN KEY ("tenant_id", "period_id") REFERENCES "follow_up_periods" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_period_deadlines_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "recovery_codes" (
    "id" TEXT NOT NULL CONSTRAINT "pk_recovery_codes" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "used_at" TEXT NULL,
    CONSTRAINT "fk_recovery_codes_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE TABLE "mail_outbox" (
    "id" TEXT NOT NULL CONSTRAINT "pk_mail_outbox" PRIMARY KEY,
    "key" TEXT NOT NULL,
    "tenant_id" TEXT NULL,
    "user_id" TEXT NULL,
    "to_address" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "next_try_at" TEXT NOT NULL,
    "lease_owner" TEXT NULL,
    "lease_until" TEXT NULL,
    "sent_at" TEXT NULL,
    "last_error" TEXT NULL,
    CONSTRAINT "fk_mail_outbox_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_mail_outbox_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_mail_outbox_key" ON "mail_outbox" ("key");
CREATE INDEX "ix_mail_outbox_state_next_try_at" ON "mail_outbox" ("state", "next_try_at");
CREATE INDEX "ix_mail_outbox_tenant_id_created_at" ON "mail_outbox" ("tenant_id", "created_at");
CREATE INDEX "ix_mail_outbox_user_id" ON "mail_outbox" ("user_id");
CREATE UNIQUE INDEX "ix_period_deadlines_tenant_id_period_id_unit_kind" ON "period_deadlines" ("tenant_id", "period_id", "unit_kind");
CREATE UNIQUE INDEX "ix_recovery_codes_user_id_code_hash" ON "recovery_codes" ("user_id", "code_hash");
CREATE INDEX "ix_tenant_email_domains_tenant_id" ON "tenant_email_domains" ("tenant_id");
CREATE INDEX "ix_tenant_group_mappings_tenant_id_group" ON "tenant_group_mappings" ("tenant_id", "group");
CREATE INDEX "ix_tenant_group_mappings_tenant_id_unit_id" ON "tenant_group_mappings" ("tenant_id", "unit_id");
CREATE UNIQUE INDEX "ix_users_calendar_secret_hash" ON "users" ("calendar_secret_hash");
