-- Kedja schema migration 0013_report_templates (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- A municipality's own report templates (ADR 31): each replaces the default of its key or adds one.

CREATE TABLE "report_templates" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sections" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_report_templates" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_report_templates_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_report_templates_tenant_id_key" ON "report_templates" ("tenant_id", "key");
