-- Kedja schema migration 0021_calendar (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16 (ADR 47 section 1): the month each governance model's delår (interim report) ends with, August unless the
-- municipality chooses another (March to November). Forecast-only periods (prognostillfällen) are a new period kind,
-- stored by name in follow_up_periods.kind like the others, and need no column.

ALTER TABLE "governance_models" ADD COLUMN "interim_end_month" INTEGER NOT NULL DEFAULT 8;
