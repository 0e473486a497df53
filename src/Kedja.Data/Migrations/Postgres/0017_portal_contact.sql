-- Kedja schema migration 0017_portal_contact (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- The address residents may write to about a municipality's published results and its portal (issue 13).

ALTER TABLE tenants ADD COLUMN contact_email character varying(254);
