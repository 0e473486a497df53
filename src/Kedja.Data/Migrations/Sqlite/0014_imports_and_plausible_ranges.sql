-- Kedja schema migration 0014_imports_and_plausible_ranges (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- The import log of outcome files, checked and imported by any node's worker (ADR 36); an indicator's plausible range
-- and which of Kolada's values (total, women, men) it takes.

ALTER TABLE "indicators" ADD COLUMN "kolada_gender" TEXT NOT NULL DEFAULT 'Total';
ALTER TABLE "indicators" ADD COLUMN "plausible_min" TEXT NULL;
ALTER TABLE "indicators" ADD COLUMN "plausible_max" TEXT NULL;

CREATE TABLE "outcome_imports" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "requested_by_id" TEXT NOT NULL,
    "requested_by_name" TEXT NOT NULL,
    "requested_at" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "file_hash" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "content" BLOB NULL,
    "state" TEXT NOT NULL,
    "progress" INTEGER NOT NULL,
    "failure" TEXT NULL,
    "rows" INTEGER NOT NULL,
    "error_rows" INTEGER NOT NULL,
    "new_values" INTEGER NOT NULL,
    "changed_values" INTEGER NOT NULL,
    "unchanged_values" INTEGER NOT NULL,
    "preview" TEXT NULL,
    "plan_hash" TEXT NULL,
    "checked_at" TEXT NULL,
    "imported_at" TEXT NULL,
    "imported_by_name" TEXT NULL,
    "lease_owner" TEXT NULL,
    "lease_until" TEXT NULL,
    "attempts" INTEGER NOT NULL,
    CONSTRAINT "pk_outcome_imports" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_outcome_imports_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_outcome_imports_state_requested_at" ON "outcome_imports" ("state", "requested_at");

CREATE INDEX "ix_outcome_imports_tenant_id_requested_at" ON "outcome_imports" ("tenant_id", "requested_at");
