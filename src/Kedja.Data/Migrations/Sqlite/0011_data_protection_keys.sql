-- Kedja schema migration 0011_data_protection_keys (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- The key ring that protects sign-in cookies and antiforgery tokens (ADR 21): in the database, so that a restart or a
-- second app node on the same database reads the same keys and signs nobody out. Not a tenant's data.

CREATE TABLE "data_protection_keys" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_data_protection_keys" PRIMARY KEY AUTOINCREMENT,
    "friendly_name" TEXT NULL,
    "xml" TEXT NULL
);
