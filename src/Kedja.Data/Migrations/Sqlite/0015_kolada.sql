-- Kedja schema migration 0015_kolada (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Fetching from Kolada (ADR 39): how each linked indicator's fetching stands, and when each tenant is fetched next,
-- claimed by one node's scheduler at a time.

CREATE TABLE "kolada_link_statuses" (
    "tenant_id" TEXT NOT NULL,
    "indicator_id" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "kpi_title" TEXT NULL,
    "kpi_missing" INTEGER NOT NULL,
    "last_fetched_at" TEXT NULL,
    "last_attempt_at" TEXT NULL,
    "last_error" TEXT NULL,
    "flags" TEXT NOT NULL,
    "reviewed" TEXT NOT NULL,
    CONSTRAINT "pk_kolada_link_statuses" PRIMARY KEY ("tenant_id", "indicator_id"),
    CONSTRAINT "fk_kolada_link_statuses_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "kolada_schedules" (
    "tenant_id" TEXT NOT NULL,
    "next_run_at" TEXT NOT NULL,
    "last_run_at" TEXT NULL,
    "lease_owner" TEXT NULL,
    "lease_until" TEXT NULL,
    CONSTRAINT "pk_kolada_schedules" PRIMARY KEY ("tenant_id"),
    CONSTRAINT "fk_kolada_schedules_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_kolada_schedules_next_run_at" ON "kolada_schedules" ("next_run_at");
