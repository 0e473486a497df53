-- Kedja schema migration 0006_accounts_and_sign_in (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- One-time links with which people set their own password (invitation, reset), failed sign-ins per client so that
-- delays grow and hold across app nodes, and the name a municipality gives a member (kept off the shared account).

CREATE TABLE account_links (
    id uuid NOT NULL,
    user_id character varying(400) NOT NULL,
    purpose character varying(40) NOT NULL,
    secret_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT pk_account_links PRIMARY KEY (id),
    CONSTRAINT fk_account_links_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_account_links_secret_hash ON account_links (secret_hash);

CREATE INDEX ix_account_links_user_id ON account_links (user_id);

CREATE TABLE sign_in_throttles (
    subject character varying(200) NOT NULL,
    failures integer NOT NULL,
    last_failure_at timestamp with time zone NOT NULL,
    blocked_until timestamp with time zone,
    CONSTRAINT pk_sign_in_throttles PRIMARY KEY (subject)
);

CREATE INDEX ix_sign_in_throttles_last_failure_at ON sign_in_throttles (last_failure_at);

ALTER TABLE memberships ADD COLUMN display_name character varying(400);
