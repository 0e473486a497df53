-- Kedja schema migration 0025_reorganisations (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16 (ADR 47 section 5): reorganisations with an effective date (merge, split, move, rename), planned in advance,
-- with their steps and the confirmed mapping of goals and indicators to units; the units' history (org_unit_versions)
-- and the owners' history of goals and indicators (ownerships), so that every period is read with the organisation and
-- owners as they were at its end date.

CREATE TABLE "reorganisations" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "effective_date" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "confirmed_by" TEXT NULL,
    "confirmed_at" TEXT NULL,
    "applied_at" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_reorganisations" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_reorganisations_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "reorganisation_steps" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "reorganisation_id" TEXT NOT NULL,
    "sort_order" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "source_unit_ids" TEXT NOT NULL,
    "target_unit_ids" TEXT NOT NULL,
    "new_parent_id" TEXT NULL,
    "new_name" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_reorganisation_steps" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_reorganisation_steps_reorganisations_tenant_id_reorganisation_id" FOREIGN KEY ("tenant_id", "reorganisation_id") REFERENCES "reorganisations" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_reorganisation_steps_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "reorganisation_mappings" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "reorganisation_id" TEXT NOT NULL,
    "step_id" TEXT NOT NULL,
    "entity_kind" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "from_unit_id" TEXT NOT NULL,
    "to_unit_id" TEXT NULL,
    "confirmed" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_reorganisation_mappings" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_reorganisation_mappings_reorganisations_tenant_id_reorganisation_id" FOREIGN KEY ("tenant_id", "reorganisation_id") REFERENCES "reorganisations" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_reorganisation_mappings_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "org_unit_versions" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "valid_from" TEXT NULL,
    "valid_to" TEXT NULL,
    "parent_id" TEXT NULL,
    "name" TEXT NOT NULL,
    "short_name" TEXT NULL,
    "kind" TEXT NOT NULL,
    "is_active" INTEGER NOT NULL,
    "reorganisation_id" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_org_unit_versions" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_org_unit_versions_org_units_tenant_id_unit_id" FOREIGN KEY ("tenant_id", "unit_id") REFERENCES "org_units" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_org_unit_versions_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "ownerships" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "entity_kind" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "valid_from" TEXT NULL,
    "valid_to" TEXT NULL,
    "reorganisation_id" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_ownerships" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_ownerships_org_units_tenant_id_unit_id" FOREIGN KEY ("tenant_id", "unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_ownerships_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_reorganisations_tenant_id_effective_date" ON "reorganisations" ("tenant_id", "effective_date");

CREATE INDEX "ix_reorganisation_steps_tenant_id_reorganisation_id" ON "reorganisation_steps" ("tenant_id", "reorganisation_id");

CREATE UNIQUE INDEX "ix_reorganisation_mappings_tenant_id_reorganisation_id_entity_kind_entity_id" ON "reorganisation_mappings" ("tenant_id", "reorganisation_id", "entity_kind", "entity_id");

CREATE INDEX "ix_org_unit_versions_tenant_id_unit_id" ON "org_unit_versions" ("tenant_id", "unit_id");

CREATE INDEX "ix_ownerships_tenant_id_entity_id" ON "ownerships" ("tenant_id", "entity_id");

CREATE INDEX "ix_ownerships_tenant_id_unit_id" ON "ownerships" ("tenant_id", "unit_id");
