-- Kedja schema migration 0012_report_jobs (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Ordered reports as jobs that any app node's worker claims with a lease (ADR 35); a frozen report names its file,
-- its template and the job it was frozen from.

CREATE TABLE "report_jobs" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "requested_by_id" TEXT NOT NULL,
    "requested_by_name" TEXT NOT NULL,
    "requested_at" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "period_key" TEXT NOT NULL,
    "template_key" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "progress" INTEGER NOT NULL,
    "failure" TEXT NULL,
    "lease_owner" TEXT NULL,
    "lease_until" TEXT NULL,
    "slot" INTEGER NULL,
    "attempts" INTEGER NOT NULL,
    "started_at" TEXT NULL,
    "finished_at" TEXT NULL,
    "file_name" TEXT NULL,
    "content_type" TEXT NULL,
    "content" BLOB NULL,
    "content_hash" TEXT NULL,
    "size" INTEGER NULL,
    CONSTRAINT "pk_report_jobs" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_report_jobs_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_report_jobs_state_requested_at" ON "report_jobs" ("state", "requested_at");

CREATE INDEX "ix_report_jobs_tenant_id_requested_by_id" ON "report_jobs" ("tenant_id", "requested_by_id");

CREATE UNIQUE INDEX "ix_report_jobs_tenant_id_slot" ON "report_jobs" ("tenant_id", "slot");

ALTER TABLE "report_snapshots" ADD "file_name" TEXT NULL;

ALTER TABLE "report_snapshots" ADD "template_key" TEXT NULL;

ALTER TABLE "report_snapshots" ADD "job_id" TEXT NULL;

CREATE UNIQUE INDEX "ix_report_snapshots_tenant_id_job_id" ON "report_snapshots" ("tenant_id", "job_id");
