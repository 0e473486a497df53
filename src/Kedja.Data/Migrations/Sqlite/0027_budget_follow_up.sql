-- Kedja schema migration 0027_budget_follow_up (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16 (ADR 47 section 7): budget in follow-up. Each budget outcome carries the comment its full-year forecast
-- rests on and the explanation of its deviation from the frame, with who gave the explanation and when.

ALTER TABLE "budget_outcomes" ADD COLUMN "forecast_comment" TEXT NULL;
ALTER TABLE "budget_outcomes" ADD COLUMN "deviation_explanation" TEXT NULL;
ALTER TABLE "budget_outcomes" ADD COLUMN "explained_by" TEXT NULL;
ALTER TABLE "budget_outcomes" ADD COLUMN "explained_at" TEXT NULL;
