-- Kedja schema migration 0013_report_templates (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- A municipality's own report templates (ADR 31): each replaces the default of its key or adds one.

CREATE TABLE report_templates (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    key character varying(400) NOT NULL,
    name character varying(400) NOT NULL,
    sections text NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_report_templates PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_report_templates_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_report_templates_tenant_id_key ON report_templates (tenant_id, key);
