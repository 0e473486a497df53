-- Kedja schema migration 0030_rate_limit_windows (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 17: rate limits shared by every app node. One row per limit and key (a client address or a hashed e-mail, never
-- an e-mail address) holding the current fixed window (Unix milliseconds) and its count, counted up by one
-- INSERT ... ON CONFLICT ... DO UPDATE per request; rows of ended windows are deleted by housekeeping (by expires_at).
-- Not a tenant's data.

CREATE TABLE "rate_limit_windows" (
    "policy" TEXT NOT NULL,
    "partition_key" TEXT NOT NULL,
    "window_start" INTEGER NOT NULL,
    "expires_at" INTEGER NOT NULL,
    "hits" INTEGER NOT NULL,
    CONSTRAINT "pk_rate_limit_windows" PRIMARY KEY ("policy", "partition_key")
);

CREATE INDEX "ix_rate_limit_windows_expires_at" ON "rate_limit_windows" ("expires_at");
