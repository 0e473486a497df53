-- Kedja schema migration 0031_import_slots (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 17: a tenant's file checks and imports hold numbered running slots, as its report jobs do (ADR 35), so that one
-- municipality's large imports cannot take every node from the others; the unique key holds the limit across nodes.

ALTER TABLE "outcome_imports" ADD COLUMN "slot" INTEGER NULL;
CREATE UNIQUE INDEX "ix_outcome_imports_tenant_id_slot" ON "outcome_imports" ("tenant_id", "slot");
