-- Kedja schema migration 0023_planning_years (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16 (ADR 47 §3): next year planned beside the year followed up. One planning year per tenant and year (draft,
-- active or discarded) with who opened, activated and undid it; the choices a person made for it and what activation
-- wrote for each (the row it created or the values it replaced), so that undo reverses exactly that; and draft budget
-- frames, read by no budget page, report or portal until the year is activated.

ALTER TABLE "budget_frames" ADD COLUMN "is_draft" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "planning_years" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "opened_by" TEXT NOT NULL,
    "opened_at" TEXT NOT NULL,
    "activated_by" TEXT NULL,
    "activated_at" TEXT NULL,
    "undone_by" TEXT NULL,
    "undone_at" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_planning_years" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_planning_years_governance_models_tenant_id_model_id" FOREIGN KEY ("tenant_id", "model_id") REFERENCES "governance_models" ("tenant_id", "id"),
    CONSTRAINT "fk_planning_years_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "planning_choices" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "planning_year_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "value" TEXT NULL,
    "min" TEXT NULL,
    "max" TEXT NULL,
    "note" TEXT NULL,
    "created_id" TEXT NULL,
    "previous" TEXT NULL,
    "applied" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_planning_choices" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_planning_choices_planning_years_tenant_id_planning_year_id" FOREIGN KEY ("tenant_id", "planning_year_id") REFERENCES "planning_years" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_planning_choices_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_planning_choices_tenant_id_planning_year_id_kind_entity_id" ON "planning_choices" ("tenant_id", "planning_year_id", "kind", "entity_id");

CREATE INDEX "ix_planning_years_tenant_id_model_id" ON "planning_years" ("tenant_id", "model_id");

CREATE UNIQUE INDEX "ix_planning_years_tenant_id_year" ON "planning_years" ("tenant_id", "year");
