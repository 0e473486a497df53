-- Kedja schema migration 0022_forecasts (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16 (ADR 47 section 2): full-year forecasts (helårsprognos) of indicators, one per indicator and follow-up
-- period, with a comment; whether a model's indicators take one; each scale level's wording for a forecast
-- ("uppfylls delvis"); and whether a goal's assessment rests on the forecast. Forecasts never change computed statuses.

ALTER TABLE governance_models ADD COLUMN allows_indicator_forecasts boolean NOT NULL DEFAULT TRUE;
ALTER TABLE governance_models ALTER COLUMN allows_indicator_forecasts DROP DEFAULT;
ALTER TABLE scale_levels ADD COLUMN forecast_phrase character varying(400);
ALTER TABLE assessments ADD COLUMN based_on_forecast boolean NOT NULL DEFAULT FALSE;
ALTER TABLE assessments ALTER COLUMN based_on_forecast DROP DEFAULT;

CREATE TABLE indicator_forecasts (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    indicator_id uuid NOT NULL,
    period_id uuid NOT NULL,
    year integer NOT NULL,
    value numeric(18,4) NOT NULL,
    value_women numeric(18,4),
    value_men numeric(18,4),
    comment character varying(4000),
    recorded_by character varying(400) NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_indicator_forecasts PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_indicator_forecasts_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id),
    CONSTRAINT fk_indicator_forecasts_indicators_tenant_id_indicator_id FOREIGN KEY (tenant_id, indicator_id) REFERENCES indicators (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_indicator_forecasts_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_indicator_forecasts_tenant_id_indicator_id_period_id ON indicator_forecasts (tenant_id, indicator_id, period_id);

CREATE INDEX ix_indicator_forecasts_tenant_id_period_id ON indicator_forecasts (tenant_id, period_id);
