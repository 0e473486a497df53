-- Kedja schema migration 0014_imports_and_plausible_ranges (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- The import log of outcome files, checked and imported by any node's worker (ADR 36); an indicator's plausible range
-- and which of Kolada's values (total, women, men) it takes.

ALTER TABLE indicators ADD COLUMN kolada_gender character varying(40) NOT NULL DEFAULT 'Total';
ALTER TABLE indicators ALTER COLUMN kolada_gender DROP DEFAULT;
ALTER TABLE indicators ADD COLUMN plausible_min numeric(18,4);
ALTER TABLE indicators ADD COLUMN plausible_max numeric(18,4);

CREATE TABLE outcome_imports (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    requested_by_id character varying(400) NOT NULL,
    requested_by_name character varying(400) NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    file_name character varying(400) NOT NULL,
    format character varying(400) NOT NULL,
    file_hash character varying(400) NOT NULL,
    size bigint NOT NULL,
    content bytea,
    state character varying(40) NOT NULL,
    progress integer NOT NULL,
    failure character varying(4000),
    rows integer NOT NULL,
    error_rows integer NOT NULL,
    new_values integer NOT NULL,
    changed_values integer NOT NULL,
    unchanged_values integer NOT NULL,
    preview text,
    plan_hash character varying(400),
    checked_at timestamp with time zone,
    imported_at timestamp with time zone,
    imported_by_name character varying(400),
    lease_owner character varying(400),
    lease_until timestamp with time zone,
    attempts integer NOT NULL,
    CONSTRAINT pk_outcome_imports PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_outcome_imports_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE INDEX ix_outcome_imports_state_requested_at ON outcome_imports (state, requested_at);

CREATE INDEX ix_outcome_imports_tenant_id_requested_at ON outcome_imports (tenant_id, requested_at);
