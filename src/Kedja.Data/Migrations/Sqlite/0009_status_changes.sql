-- Kedja schema migration 0009_status_changes (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- What each write may have changed in the computed statuses, under the data version it created (ADR 19): a node
-- holding results of an earlier version recomputes only the goals these rows lead to.

CREATE TABLE "status_changes" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_status_changes" PRIMARY KEY AUTOINCREMENT,
    "tenant_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "entity_id" TEXT NULL
);

CREATE INDEX "ix_status_changes_tenant_id_version" ON "status_changes" ("tenant_id", "version");
