-- Kedja schema migration 0006_accounts_and_sign_in (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- One-time links with which people set their own password (invitation, reset), failed sign-ins per client so that
-- delays grow and hold across app nodes, and the name a municipality gives a member (kept off the shared account).

CREATE TABLE "account_links" (
    "id" TEXT NOT NULL CONSTRAINT "pk_account_links" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL,
    "used_at" TEXT NULL,
    CONSTRAINT "fk_account_links_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_account_links_secret_hash" ON "account_links" ("secret_hash");

CREATE INDEX "ix_account_links_user_id" ON "account_links" ("user_id");

CREATE TABLE "sign_in_throttles" (
    "subject" TEXT NOT NULL CONSTRAINT "pk_sign_in_throttles" PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "last_failure_at" TEXT NOT NULL,
    "blocked_until" TEXT NULL
);

CREATE INDEX "ix_sign_in_throttles_last_failure_at" ON "sign_in_throttles" ("last_failure_at");

ALTER TABLE "memberships" ADD COLUMN "display_name" TEXT NULL;
