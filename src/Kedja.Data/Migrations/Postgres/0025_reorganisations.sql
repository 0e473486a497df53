-- Kedja schema migration 0025_reorganisations (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16 (ADR 47 section 5): reorganisations with an effective date (merge, split, move, rename), planned in advance,
-- with their steps and the confirmed mapping of goals and indicators to units; the units' history (org_unit_versions)
-- and the owners' history of goals and indicators (ownerships), so that every period is read with the organisation and
-- owners as they were at its end date.

CREATE TABLE reorganisations (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    name character varying(400) NOT NULL,
    effective_date date NOT NULL,
    state character varying(40) NOT NULL,
    created_by character varying(400) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    confirmed_by character varying(400),
    confirmed_at timestamp with time zone,
    applied_at timestamp with time zone,
    version integer NOT NULL,
    CONSTRAINT pk_reorganisations PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_reorganisations_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE reorganisation_steps (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    reorganisation_id uuid NOT NULL,
    sort_order integer NOT NULL,
    kind character varying(40) NOT NULL,
    source_unit_ids character varying(4000) NOT NULL,
    target_unit_ids character varying(4000) NOT NULL,
    new_parent_id uuid,
    new_name character varying(400),
    version integer NOT NULL,
    CONSTRAINT pk_reorganisation_steps PRIMARY KEY (tenant_id, id),
    CONSTRAINT "fk_reorganisation_steps_reorganisations_tenant_id_reorganisati~" FOREIGN KEY (tenant_id, reorganisation_id) REFERENCES reorganisations (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_reorganisation_steps_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE reorganisation_mappings (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    reorganisation_id uuid NOT NULL,
    step_id uuid NOT NULL,
    entity_kind character varying(40) NOT NULL,
    entity_id uuid NOT NULL,
    name character varying(4000) NOT NULL,
    from_unit_id uuid NOT NULL,
    to_unit_id uuid,
    confirmed boolean NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_reorganisation_mappings PRIMARY KEY (tenant_id, id),
    CONSTRAINT "fk_reorganisation_mappings_reorganisations_tenant_id_reorganis~" FOREIGN KEY (tenant_id, reorganisation_id) REFERENCES reorganisations (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_reorganisation_mappings_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE org_unit_versions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    unit_id uuid NOT NULL,
    valid_from date,
    valid_to date,
    parent_id uuid,
    name character varying(400) NOT NULL,
    short_name character varying(400),
    kind character varying(40) NOT NULL,
    is_active boolean NOT NULL,
    reorganisation_id uuid,
    version integer NOT NULL,
    CONSTRAINT pk_org_unit_versions PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_org_unit_versions_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_org_unit_versions_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE ownerships (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    entity_kind character varying(40) NOT NULL,
    entity_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    valid_from date,
    valid_to date,
    reorganisation_id uuid,
    version integer NOT NULL,
    CONSTRAINT pk_ownerships PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_ownerships_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_ownerships_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE INDEX ix_reorganisations_tenant_id_effective_date ON reorganisations (tenant_id, effective_date);

CREATE INDEX ix_reorganisation_steps_tenant_id_reorganisation_id ON reorganisation_steps (tenant_id, reorganisation_id);

CREATE UNIQUE INDEX "ix_reorganisation_mappings_tenant_id_reorganisation_id_entity_~" ON reorganisation_mappings (tenant_id, reorganisation_id, entity_kind, entity_id);

CREATE INDEX ix_org_unit_versions_tenant_id_unit_id ON org_unit_versions (tenant_id, unit_id);

CREATE INDEX ix_ownerships_tenant_id_entity_id ON ownerships (tenant_id, entity_id);

CREATE INDEX ix_ownerships_tenant_id_unit_id ON ownerships (tenant_id, unit_id);
