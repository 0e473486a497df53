-- Kedja schema migration 0024_closed_years (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16 (ADR 47 section 4): each unit's scorecard as reported when its follow-up was locked and after each
-- correction (locked_scorecards), and the corrections of locked follow-ups with their reason and what they changed.

CREATE TABLE corrections (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    period_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    number integer NOT NULL,
    reason character varying(4000) NOT NULL,
    opened_by character varying(400) NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    audit_from bigint NOT NULL,
    closed_by character varying(400),
    closed_at timestamp with time zone,
    changes text,
    audit_entries text,
    version integer NOT NULL,
    CONSTRAINT pk_corrections PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_corrections_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_corrections_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_corrections_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE locked_scorecards (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    period_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    correction_number integer NOT NULL,
    json text NOT NULL,
    hash character varying(64) NOT NULL,
    locked_by character varying(400) NOT NULL,
    locked_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_locked_scorecards PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_locked_scorecards_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_locked_scorecards_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_locked_scorecards_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_corrections_tenant_id_period_id_unit_id_number ON corrections (tenant_id, period_id, unit_id, number);

CREATE INDEX ix_corrections_tenant_id_unit_id ON corrections (tenant_id, unit_id);

CREATE INDEX ix_locked_scorecards_tenant_id_period_id_unit_id ON locked_scorecards (tenant_id, period_id, unit_id);

CREATE INDEX ix_locked_scorecards_tenant_id_unit_id ON locked_scorecards (tenant_id, unit_id);
