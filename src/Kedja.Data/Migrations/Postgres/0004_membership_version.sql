-- Kedja schema migration 0004_membership_version (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Memberships are edited through the API from now on, so they get an optimistic-concurrency version like every
-- other row users edit.

ALTER TABLE memberships ADD COLUMN version integer NOT NULL DEFAULT 0;
