-- Kedja schema migration 0022_forecasts (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16 (ADR 47 section 2): full-year forecasts (helårsprognos) of indicators, one per indicator and follow-up
-- period, with a comment; whether a model's indicators take one; each scale level's wording for a forecast
-- ("uppfylls delvis"); and whether a goal's assessment rests on the forecast. Forecasts never change computed statuses.

ALTER TABLE "governance_models" ADD COLUMN "allows_indicator_forecasts" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "scale_levels" ADD COLUMN "forecast_phrase" TEXT NULL;
ALTER TABLE "assessments" ADD COLUMN "based_on_forecast" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "indicator_forecasts" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "indicator_id" TEXT NOT NULL,
    "period_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "value" TEXT NOT NULL,
    "value_women" TEXT NULL,
    "value_men" TEXT NULL,
    "comment" TEXT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_indicator_forecasts" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_indicator_forecasts_follow_up_periods_tenant_id_period_id" FOREIGN KEY ("tenant_id", "period_id") REFERENCES "follow_up_periods" ("tenant_id", "id"),
    CONSTRAINT "fk_indicator_forecasts_indicators_tenant_id_indicator_id" FOREIGN KEY ("tenant_id", "indicator_id") REFERENCES "indicators" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_indicator_forecasts_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_indicator_forecasts_tenant_id_indicator_id_period_id" ON "indicator_forecasts" ("tenant_id", "indicator_id", "period_id");

CREATE INDEX "ix_indicator_forecasts_tenant_id_period_id" ON "indicator_forecasts" ("tenant_id", "period_id");
