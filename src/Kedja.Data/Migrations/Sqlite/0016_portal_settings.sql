-- Kedja schema migration 0016_portal_settings (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- What a municipality decides about its public portal (issue 13, ADR 41): the licence of its open data, the sites that
-- may embed its views, and its accessibility statement; and when its data last changed (the portal's Last-Modified).

ALTER TABLE "tenants" ADD COLUMN "licence" TEXT NOT NULL DEFAULT 'Cc0';
ALTER TABLE "tenants" ADD COLUMN "embed_origins" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "tenants" ADD COLUMN "accessibility_statement" TEXT NULL;
ALTER TABLE "tenants" ADD COLUMN "data_changed_at" TEXT NULL;
