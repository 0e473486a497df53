-- Kedja schema migration 0026_finance_import (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16 (ADR 47 section 6): budget and outcome from the finance system. Each tenant's mapping of the finance
-- system (the SIE dimension of the cost centre, codes to units, account ranges to budget lines), each unit's budget
-- and outcome per budget line and month as the last finance import left them, and the kind of file in the import log.

ALTER TABLE outcome_imports ADD COLUMN kind character varying(40) NOT NULL DEFAULT 'outcomes';

CREATE TABLE finance_mappings (
    tenant_id uuid NOT NULL,
    dimension integer NOT NULL,
    result_from integer NOT NULL,
    result_to integer NOT NULL,
    units text NOT NULL,
    accounts character varying(4000) NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_finance_mappings PRIMARY KEY (tenant_id),
    CONSTRAINT fk_finance_mappings_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE budget_line_months (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    unit_id uuid NOT NULL,
    year integer NOT NULL,
    month integer NOT NULL,
    line character varying(400) NOT NULL,
    budget numeric(18,4) NOT NULL,
    actual numeric(18,4) NOT NULL,
    import_id uuid,
    version integer NOT NULL,
    CONSTRAINT pk_budget_line_months PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_budget_line_months_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_budget_line_months_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_budget_line_months_tenant_id_unit_id_year_line_month ON budget_line_months (tenant_id, unit_id, year, line, month);
