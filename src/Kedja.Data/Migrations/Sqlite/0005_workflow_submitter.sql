-- Kedja schema migration 0005_workflow_submitter (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Four eyes: whoever submitted a unit's follow-up may not approve it, so the submitter is recorded (ADR 9).

ALTER TABLE "unit_period_statuses" ADD COLUMN "submitted_by_user_id" TEXT NULL;
