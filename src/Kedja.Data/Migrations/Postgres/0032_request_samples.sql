-- Kedja schema migration 0032_request_samples (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Issue 18 (observability): the few slowest requests each app node served per window, so that the system
-- administrators' page shows the installation's slowest of the last hour. Route templates only, no query string, no
-- person or tenant. Not a tenant's data; rows older than a few hours are deleted by the node that writes.

CREATE TABLE request_samples (
    id uuid NOT NULL,
    node character varying(200) NOT NULL,
    at timestamp with time zone NOT NULL,
    method character varying(10) NOT NULL,
    route character varying(400) NOT NULL,
    status integer NOT NULL,
    duration_ms integer NOT NULL,
    database_ms integer NOT NULL,
    CONSTRAINT pk_request_samples PRIMARY KEY (id)
);

CREATE INDEX ix_request_samples_at ON request_samples (at);
