-- Kedja schema migration 0033_user_sessions (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Issue 18 (ASVS 3.3.4): each signed-in browser session, named by the sign-in cookie, so that a person sees and ends
-- their own sessions. Expand only: the previous release neither reads nor writes it, and its cookies (without a
-- session id) are still accepted until they expire.

CREATE TABLE user_sessions (
    id uuid NOT NULL,
    user_id character varying(400) NOT NULL,
    stamp character varying(100) NOT NULL,
    started_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    user_agent character varying(300),
    ended_at timestamp with time zone,
    CONSTRAINT pk_user_sessions PRIMARY KEY (id),
    CONSTRAINT fk_user_sessions_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_user_sessions_user_id ON user_sessions (user_id);
