-- Kedja schema migration 0018_sso_two_factor_reminders (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Issue 14 (ADR 45): each municipality's own OpenID Connect provider, its e-mail domains (home realm discovery) and
-- group-to-role mappings; two-factor for local accounts; reporting deadlines per level of the organisation; a calendar
-- feed per person; and the mail outbox that sends every reminder and notice once.

ALTER TABLE tenants ADD COLUMN local_passwords boolean NOT NULL DEFAULT TRUE;
ALTER TABLE tenants ALTER COLUMN local_passwords DROP DEFAULT;
ALTER TABLE tenants ADD COLUMN require_two_factor boolean NOT NULL DEFAULT FALSE;
ALTER TABLE tenants ALTER COLUMN require_two_factor DROP DEFAULT;
ALTER TABLE tenants ADD COLUMN reminder_days_before integer NOT NULL DEFAULT 3;
ALTER TABLE tenants ALTER COLUMN reminder_days_before DROP DEFAULT;

ALTER TABLE users ADD COLUMN authenticator_key_protected character varying(4000);
ALTER TABLE users ADD COLUMN last_totp_step bigint;
ALTER TABLE users ADD COLUMN reminders_off boolean NOT NULL DEFAULT FALSE;
ALTER TABLE users ALTER COLUMN reminders_off DROP DEFAULT;
ALTER TABLE users ADD COLUMN calendar_secret_hash character varying(64);

ALTER TABLE memberships ADD COLUMN source character varying(40) NOT NULL DEFAULT 'Manual';
ALTER TABLE memberships ALTER COLUMN source DROP DEFAULT;

CREATE TABLE tenant_identity_providers (
    tenant_id uuid NOT NULL,
    authority character varying(400) NOT NULL,
    client_id character varying(400) NOT NULL,
    client_secret_protected character varying(4000),
    scopes character varying(4000) NOT NULL,
    email_claim character varying(400) NOT NULL,
    name_claim character varying(400) NOT NULL,
    groups_claim character varying(400) NOT NULL,
    display_name character varying(400),
    enabled boolean NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_tenant_identity_providers PRIMARY KEY (tenant_id),
    CONSTRAINT fk_tenant_identity_providers_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE tenant_email_domains (
    domain character varying(253) NOT NULL,
    tenant_id uuid NOT NULL,
    CONSTRAINT pk_tenant_email_domains PRIMARY KEY (domain),
    CONSTRAINT fk_tenant_email_domains_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE tenant_group_mappings (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    "group" character varying(400) NOT NULL,
    role character varying(40) NOT NULL,
    unit_id uuid,
    version integer NOT NULL,
    CONSTRAINT pk_tenant_group_mappings PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_tenant_group_mappings_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_tenant_group_mappings_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE period_deadlines (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    period_id uuid NOT NULL,
    unit_kind character varying(40) NOT NULL,
    due_on date NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_period_deadlines PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_period_deadlines_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_period_deadlines_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE recovery_codes (
    id uuid NOT NULL,
    user_id character varying(400) NOT NULL,
    code_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT pk_recovery_codes PRIMARY KEY (id),
    CONSTRAINT fk_recovery_codes_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE mail_outbox (
    id uuid NOT NULL,
    key character varying(400) NOT NULL,
    tenant_id uuid,
    user_id character varying(400),
    to_address character varying(254) NOT NULL,
    kind character varying(400) NOT NULL,
    subject character varying(400) NOT NULL,
    body text NOT NULL,
    state character varying(40) NOT NULL,
    attempts integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    next_try_at timestamp with time zone NOT NULL,
    lease_owner character varying(400),
    lease_until timestamp with time zone,
    sent_at timestamp with time zone,
    last_error character varying(4000),
    CONSTRAINT pk_mail_outbox PRIMARY KEY (id),
    CONSTRAINT fk_mail_outbox_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
    CONSTRAINT fk_mail_outbox_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_mail_outbox_key ON mail_outbox (key);
CREATE INDEX ix_mail_outbox_state_next_try_at ON mail_outbox (state, next_try_at);
CREATE INDEX ix_mail_outbox_tenant_id_created_at ON mail_outbox (tenant_id, created_at);
CREATE INDEX ix_mail_outbox_user_id ON mail_outbox (user_id);
CREATE UNIQUE INDEX ix_period_deadlines_tenant_id_period_id_unit_kind ON period_deadlines (tenant_id, period_id, unit_kind);
CREATE UNIQUE INDEX ix_recovery_codes_user_id_code_hash ON recovery_codes (user_id, code_hash);
CREATE INDEX ix_tenant_email_domains_tenant_id ON tenant_email_domains (tenant_id);
CREATE INDEX ix_tenant_group_mappings_tenant_id_group ON tenant_group_mappings (tenant_id, "group");
CREATE INDEX ix_tenant_group_mappings_tenant_id_unit_id ON tenant_group_mappings (tenant_id, unit_id);
CREATE UNIQUE INDEX ix_users_calendar_secret_hash ON users (calendar_secret_hash);
