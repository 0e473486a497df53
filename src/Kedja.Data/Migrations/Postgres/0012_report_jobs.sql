-- Kedja schema migration 0012_report_jobs (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Ordered reports as jobs that any app node's worker claims with a lease (ADR 35); a frozen report names its file,
-- its template and the job it was frozen from.

CREATE TABLE report_jobs (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    requested_by_id character varying(400) NOT NULL,
    requested_by_name character varying(400) NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    unit_id uuid NOT NULL,
    period_key character varying(400) NOT NULL,
    template_key character varying(400) NOT NULL,
    scope character varying(400) NOT NULL,
    format character varying(400) NOT NULL,
    state character varying(40) NOT NULL,
    progress integer NOT NULL,
    failure character varying(4000),
    lease_owner character varying(400),
    lease_until timestamp with time zone,
    slot integer,
    attempts integer NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    file_name character varying(400),
    content_type character varying(400),
    content bytea,
    content_hash character varying(400),
    size bigint,
    CONSTRAINT pk_report_jobs PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_report_jobs_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE INDEX ix_report_jobs_state_requested_at ON report_jobs (state, requested_at);

CREATE INDEX ix_report_jobs_tenant_id_requested_by_id ON report_jobs (tenant_id, requested_by_id);

CREATE UNIQUE INDEX ix_report_jobs_tenant_id_slot ON report_jobs (tenant_id, slot);

ALTER TABLE report_snapshots ADD file_name character varying(400);

ALTER TABLE report_snapshots ADD template_key character varying(400);

ALTER TABLE report_snapshots ADD job_id uuid;

CREATE UNIQUE INDEX ix_report_snapshots_tenant_id_job_id ON report_snapshots (tenant_id, job_id);
