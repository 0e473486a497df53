-- Kedja schema migration 0003_period_indexes (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- The follow-up engine reads one period's outcomes and targets for a whole tenant. These covering indexes let it do
-- so without scanning every outcome or visiting the table (docs/performance.md).

CREATE INDEX "ix_indicator_targets_period" ON "indicator_targets" ("tenant_id", "period_key", "indicator_id", "value", "min", "max");

CREATE INDEX "ix_outcomes_period" ON "outcomes" ("tenant_id", "period_key", "indicator_id", "value");
