-- Kedja schema migration 0032_request_samples (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 18 (observability): the few slowest requests each app node served per window, so that the system
-- administrators' page shows the installation's slowest of the last hour. Route templates only, no query string, no
-- person or tenant. Not a tenant's data; rows older than a few hours are deleted by the node that writes.

CREATE TABLE "request_samples" (
    "id" TEXT NOT NULL CONSTRAINT "pk_request_samples" PRIMARY KEY,
    "node" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "database_ms" INTEGER NOT NULL
);

CREATE INDEX "ix_request_samples_at" ON "request_samples" ("at");
