-- Kedja schema migration 0033_user_sessions (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 18 (ASVS 3.3.4): each signed-in browser session, named by the sign-in cookie, so that a person sees and ends
-- their own sessions. Expand only: the previous release neither reads nor writes it, and its cookies (without a
-- session id) are still accepted until they expire.

CREATE TABLE "user_sessions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_user_sessions" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "stamp" TEXT NOT NULL,
    "started_at" TEXT NOT NULL,
    "last_seen_at" TEXT NOT NULL,
    "user_agent" TEXT NULL,
    "ended_at" TEXT NULL,
    CONSTRAINT "fk_user_sessions_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_user_sessions_user_id" ON "user_sessions" ("user_id");
