-- Kedja schema migration 0005_audit_chain (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- The audit trail becomes a hash chain per tenant (docs/adr/0014-tamper-evident-audit.md). The append-only triggers
-- are lifted for the length of this transaction so that the code step named below can link the entries written
-- before; the statements after it put them back.

DROP TRIGGER audit_entries_no_update;
DROP TRIGGER audit_entries_no_delete;

ALTER TABLE "audit_entries" ADD COLUMN "sequence" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "audit_entries" ADD COLUMN "hash" TEXT NOT NULL DEFAULT '';

CREATE TABLE "audit_chain_heads" (
    "scope" TEXT NOT NULL CONSTRAINT "pk_audit_chain_heads" PRIMARY KEY,
    "last_sequence" INTEGER NOT NULL,
    "last_hash" TEXT NOT NULL
);

-- kedja:step link-audit-chain
-- Every entry now has its place in its chain: a place is unique, and the trail is append-only again.

CREATE UNIQUE INDEX "ix_audit_entries_tenant_id_sequence" ON "audit_entries" ("tenant_id", "sequence");

CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit_entries is append-only');
END;

CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit_entries is append-only');
END;
