-- Kedja schema migration 0015_kolada (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Fetching from Kolada (ADR 39): how each linked indicator's fetching stands, and when each tenant is fetched next,
-- claimed by one node's scheduler at a time.

CREATE TABLE kolada_link_statuses (
    tenant_id uuid NOT NULL,
    indicator_id uuid NOT NULL,
    link character varying(400) NOT NULL,
    kpi_title character varying(400),
    kpi_missing boolean NOT NULL,
    last_fetched_at timestamp with time zone,
    last_attempt_at timestamp with time zone,
    last_error character varying(4000),
    flags text NOT NULL,
    reviewed text NOT NULL,
    CONSTRAINT pk_kolada_link_statuses PRIMARY KEY (tenant_id, indicator_id),
    CONSTRAINT fk_kolada_link_statuses_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE kolada_schedules (
    tenant_id uuid NOT NULL,
    next_run_at timestamp with time zone NOT NULL,
    last_run_at timestamp with time zone,
    lease_owner character varying(400),
    lease_until timestamp with time zone,
    CONSTRAINT pk_kolada_schedules PRIMARY KEY (tenant_id),
    CONSTRAINT fk_kolada_schedules_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE INDEX ix_kolada_schedules_next_run_at ON kolada_schedules (next_run_at);
