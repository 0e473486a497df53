-- Kedja schema migration 0019_token_origin (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- How a personal access token was made (a password, a municipality's provider, the operator's verb), so a
-- municipality without local passwords can refuse tokens made with a password (ADR 45).

ALTER TABLE access_tokens ADD COLUMN created_via character varying(400);
