-- Kedja schema migration 0034_security_keys (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 18 (ASVS 2.3.2, ADR 56): security keys and passkeys (WebAuthn) as a second factor, and the short-lived
-- challenges between a begin and its finish (a row, so that the finish may land on another node). Expand only: the
-- previous release neither reads nor writes them.

CREATE TABLE "security_keys" (
    "id" TEXT NOT NULL CONSTRAINT "pk_security_keys" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "credential_id" BLOB NOT NULL,
    "public_key" BLOB NOT NULL,
    "sign_count" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "last_used_at" TEXT NULL,
    CONSTRAINT "fk_security_keys_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_security_keys_credential_id" ON "security_keys" ("credential_id");
CREATE INDEX "ix_security_keys_user_id" ON "security_keys" ("user_id");

CREATE TABLE "security_key_challenges" (
    "id" TEXT NOT NULL CONSTRAINT "pk_security_key_challenges" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL,
    CONSTRAINT "fk_security_key_challenges_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_security_key_challenges_user_id" ON "security_key_challenges" ("user_id");
