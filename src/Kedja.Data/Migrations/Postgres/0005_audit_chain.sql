-- Kedja schema migration 0005_audit_chain (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- The audit trail becomes a hash chain per tenant (docs/adr/0014-tamper-evident-audit.md). The append-only trigger
-- is lifted for the length of this transaction so that the code step named below can link the entries written
-- before; the statements after it put it back.

DROP TRIGGER audit_entries_append_only ON audit_entries;

ALTER TABLE audit_entries ADD COLUMN sequence bigint NOT NULL DEFAULT 0;
ALTER TABLE audit_entries ADD COLUMN hash character varying(64) NOT NULL DEFAULT '';
ALTER TABLE audit_entries ALTER COLUMN sequence DROP DEFAULT;
ALTER TABLE audit_entries ALTER COLUMN hash DROP DEFAULT;

CREATE TABLE audit_chain_heads (
    scope character varying(40) NOT NULL,
    last_sequence bigint NOT NULL,
    last_hash character varying(64) NOT NULL,
    CONSTRAINT pk_audit_chain_heads PRIMARY KEY (scope)
);

-- kedja:step link-audit-chain
-- Every entry now has its place in its chain: a place is unique, and the trail is append-only again.

CREATE UNIQUE INDEX ix_audit_entries_tenant_id_sequence ON audit_entries (tenant_id, sequence);

CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION kedja_audit_append_only();
