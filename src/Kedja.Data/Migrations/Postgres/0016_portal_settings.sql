-- Kedja schema migration 0016_portal_settings (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- What a municipality decides about its public portal (issue 13, ADR 41): the licence of its open data, the sites that
-- may embed its views, and its accessibility statement; and when its data last changed (the portal's Last-Modified).

ALTER TABLE tenants ADD COLUMN licence character varying(40) NOT NULL DEFAULT 'Cc0';
ALTER TABLE tenants ALTER COLUMN licence DROP DEFAULT;
ALTER TABLE tenants ADD COLUMN embed_origins character varying(4000) NOT NULL DEFAULT '[]';
ALTER TABLE tenants ALTER COLUMN embed_origins DROP DEFAULT;
ALTER TABLE tenants ADD COLUMN accessibility_statement character varying(16000);
ALTER TABLE tenants ADD COLUMN data_changed_at timestamp with time zone;
