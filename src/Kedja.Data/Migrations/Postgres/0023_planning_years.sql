-- Kedja schema migration 0023_planning_years (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16 (ADR 47 §3): next year planned beside the year followed up. One planning year per tenant and year (draft,
-- active or discarded) with who opened, activated and undid it; the choices a person made for it and what activation
-- wrote for each (the row it created or the values it replaced), so that undo reverses exactly that; and draft budget
-- frames, read by no budget page, report or portal until the year is activated.

ALTER TABLE budget_frames ADD COLUMN is_draft boolean NOT NULL DEFAULT FALSE;
ALTER TABLE budget_frames ALTER COLUMN is_draft DROP DEFAULT;

CREATE TABLE planning_years (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    year integer NOT NULL,
    state character varying(40) NOT NULL,
    model_id uuid NOT NULL,
    opened_by character varying(400) NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    activated_by character varying(400),
    activated_at timestamp with time zone,
    undone_by character varying(400),
    undone_at timestamp with time zone,
    version integer NOT NULL,
    CONSTRAINT pk_planning_years PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_planning_years_governance_models_tenant_id_model_id FOREIGN KEY (tenant_id, model_id) REFERENCES governance_models (tenant_id, id),
    CONSTRAINT fk_planning_years_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE planning_choices (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    planning_year_id uuid NOT NULL,
    kind character varying(40) NOT NULL,
    entity_id uuid NOT NULL,
    value numeric(18,4),
    min numeric(18,4),
    max numeric(18,4),
    note character varying(400),
    created_id uuid,
    previous character varying(4000),
    applied boolean NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_planning_choices PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_planning_choices_planning_years_tenant_id_planning_year_id FOREIGN KEY (tenant_id, planning_year_id) REFERENCES planning_years (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_planning_choices_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_planning_choices_tenant_id_planning_year_id_kind_entity_id ON planning_choices (tenant_id, planning_year_id, kind, entity_id);

CREATE INDEX ix_planning_years_tenant_id_model_id ON planning_years (tenant_id, model_id);

CREATE UNIQUE INDEX ix_planning_years_tenant_id_year ON planning_years (tenant_id, year);
