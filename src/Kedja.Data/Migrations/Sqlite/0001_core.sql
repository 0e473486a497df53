-- Kedja schema migration 0001_core (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Tenants, organisation, governance model, goals, indicators, outcomes, follow-up, activities, documents, budget.

CREATE TABLE "tenants" (
    "id" TEXT NOT NULL CONSTRAINT "pk_tenants" PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kommunkod" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "data_version" INTEGER NOT NULL
);

CREATE TABLE "follow_up_periods" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "start_date" TEXT NOT NULL,
    "end_date" TEXT NOT NULL,
    "deadline" TEXT NULL,
    "is_published" INTEGER NOT NULL,
    "published_at" TEXT NULL,
    "published_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_follow_up_periods" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_follow_up_periods_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "governance_models" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "template_key" TEXT NULL,
    "status" TEXT NOT NULL,
    "first_year" INTEGER NOT NULL,
    "last_year" INTEGER NOT NULL,
    "vision" TEXT NOT NULL,
    "description" TEXT NULL,
    "dimension_label" TEXT NOT NULL,
    "cadence" TEXT NOT NULL,
    "cadence_overrides" TEXT NOT NULL,
    "default_thresholds" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_governance_models" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_governance_models_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "org_units" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "parent_id" TEXT NULL,
    "name" TEXT NOT NULL,
    "short_name" TEXT NULL,
    "kind" TEXT NOT NULL,
    "code" TEXT NULL,
    "sort_order" INTEGER NOT NULL,
    "is_active" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_org_units" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_org_units_org_units_tenant_id_parent_id" FOREIGN KEY ("tenant_id", "parent_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_org_units_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "dimensions" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NULL,
    "sort_order" INTEGER NOT NULL,
    "colour" TEXT NULL,
    "allowed_unit_kinds" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_dimensions" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_dimensions_governance_models_tenant_id_model_id" FOREIGN KEY ("tenant_id", "model_id") REFERENCES "governance_models" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_dimensions_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "goal_levels" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NULL,
    "depth" INTEGER NOT NULL,
    "unit_kinds" TEXT NOT NULL,
    "horizon_min_years" INTEGER NULL,
    "horizon_max_years" INTEGER NULL,
    "requires_parent" INTEGER NOT NULL,
    "has_strategies" INTEGER NOT NULL,
    "rollup" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_goal_levels" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_goal_levels_governance_models_tenant_id_model_id" FOREIGN KEY ("tenant_id", "model_id") REFERENCES "governance_models" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_goal_levels_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "scale_levels" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "plural" TEXT NULL,
    "description" TEXT NULL,
    "colour" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "score" TEXT NOT NULL,
    "sort_order" INTEGER NOT NULL,
    "is_not_assessed" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_scale_levels" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_scale_levels_governance_models_tenant_id_model_id" FOREIGN KEY ("tenant_id", "model_id") REFERENCES "governance_models" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_scale_levels_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "budget_frames" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "amount" TEXT NOT NULL,
    "note" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_budget_frames" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_budget_frames_org_units_tenant_id_unit_id" FOREIGN KEY ("tenant_id", "unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_budget_frames_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "governing_documents" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NULL,
    "decided_by_unit_id" TEXT NULL,
    "decided_on" TEXT NULL,
    "valid_from" TEXT NULL,
    "valid_to" TEXT NULL,
    "url" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_governing_documents" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_governing_documents_org_units_tenant_id_decided_by_unit_id" FOREIGN KEY ("tenant_id", "decided_by_unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_governing_documents_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "programs" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NULL,
    "owner_unit_id" TEXT NULL,
    "valid_from_year" INTEGER NULL,
    "valid_to_year" INTEGER NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_programs" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_programs_org_units_tenant_id_owner_unit_id" FOREIGN KEY ("tenant_id", "owner_unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_programs_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "report_snapshots" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "period_id" TEXT NULL,
    "unit_id" TEXT NULL,
    "title" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "content" BLOB NOT NULL,
    "content_hash" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "pk_report_snapshots" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_report_snapshots_follow_up_periods_tenant_id_period_id" FOREIGN KEY ("tenant_id", "period_id") REFERENCES "follow_up_periods" ("tenant_id", "id"),
    CONSTRAINT "fk_report_snapshots_org_units_tenant_id_unit_id" FOREIGN KEY ("tenant_id", "unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_report_snapshots_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "unit_period_statuses" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "period_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "changed_by" TEXT NULL,
    "changed_at" TEXT NULL,
    "reopen_reason" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_unit_period_statuses" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_unit_period_statuses_follow_up_periods_tenant_id_period_id" FOREIGN KEY ("tenant_id", "period_id") REFERENCES "follow_up_periods" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_unit_period_statuses_org_units_tenant_id_unit_id" FOREIGN KEY ("tenant_id", "unit_id") REFERENCES "org_units" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_unit_period_statuses_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "unit_services" (
    "tenant_id" TEXT NOT NULL,
    "administration_id" TEXT NOT NULL,
    "committee_id" TEXT NOT NULL,
    CONSTRAINT "pk_unit_services" PRIMARY KEY ("tenant_id", "administration_id", "committee_id"),
    CONSTRAINT "fk_unit_services_org_units_tenant_id_administration_id" FOREIGN KEY ("tenant_id", "administration_id") REFERENCES "org_units" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_unit_services_org_units_tenant_id_committee_id" FOREIGN KEY ("tenant_id", "committee_id") REFERENCES "org_units" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_unit_services_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "goals" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "level_id" TEXT NOT NULL,
    "owner_unit_id" TEXT NOT NULL,
    "dimension_id" TEXT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NULL,
    "code" TEXT NULL,
    "valid_from_year" INTEGER NULL,
    "valid_to_year" INTEGER NULL,
    "agenda2030" TEXT NOT NULL,
    "sort_order" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_goals" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_goals_dimensions_tenant_id_dimension_id" FOREIGN KEY ("tenant_id", "dimension_id") REFERENCES "dimensions" ("tenant_id", "id"),
    CONSTRAINT "fk_goals_goal_levels_tenant_id_level_id" FOREIGN KEY ("tenant_id", "level_id") REFERENCES "goal_levels" ("tenant_id", "id"),
    CONSTRAINT "fk_goals_governance_models_tenant_id_model_id" FOREIGN KEY ("tenant_id", "model_id") REFERENCES "governance_models" ("tenant_id", "id"),
    CONSTRAINT "fk_goals_org_units_tenant_id_owner_unit_id" FOREIGN KEY ("tenant_id", "owner_unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_goals_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "budget_outcomes" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "frame_id" TEXT NOT NULL,
    "period_key" TEXT NOT NULL,
    "actual" TEXT NOT NULL,
    "forecast" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_budget_outcomes" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_budget_outcomes_budget_frames_tenant_id_frame_id" FOREIGN KEY ("tenant_id", "frame_id") REFERENCES "budget_frames" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_budget_outcomes_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "activities" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NULL,
    "goal_id" TEXT NULL,
    "program_id" TEXT NULL,
    "responsible_unit_id" TEXT NOT NULL,
    "start_date" TEXT NULL,
    "end_date" TEXT NULL,
    "status" TEXT NOT NULL,
    "progress" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_activities" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_activities_goals_tenant_id_goal_id" FOREIGN KEY ("tenant_id", "goal_id") REFERENCES "goals" ("tenant_id", "id"),
    CONSTRAINT "fk_activities_org_units_tenant_id_responsible_unit_id" FOREIGN KEY ("tenant_id", "responsible_unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_activities_programs_tenant_id_program_id" FOREIGN KEY ("tenant_id", "program_id") REFERENCES "programs" ("tenant_id", "id"),
    CONSTRAINT "fk_activities_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "assessments" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "goal_id" TEXT NOT NULL,
    "period_id" TEXT NOT NULL,
    "status_key" TEXT NOT NULL,
    "suggested_status_key" TEXT NULL,
    "deviates_from_rule" INTEGER NOT NULL,
    "motivation" TEXT NULL,
    "analysis" TEXT NULL,
    "actions" TEXT NULL,
    "assessed_by" TEXT NOT NULL,
    "assessed_at" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_assessments" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_assessments_follow_up_periods_tenant_id_period_id" FOREIGN KEY ("tenant_id", "period_id") REFERENCES "follow_up_periods" ("tenant_id", "id"),
    CONSTRAINT "fk_assessments_goals_tenant_id_goal_id" FOREIGN KEY ("tenant_id", "goal_id") REFERENCES "goals" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_assessments_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "document_goals" (
    "tenant_id" TEXT NOT NULL,
    "document_id" TEXT NOT NULL,
    "goal_id" TEXT NOT NULL,
    CONSTRAINT "pk_document_goals" PRIMARY KEY ("tenant_id", "document_id", "goal_id"),
    CONSTRAINT "fk_document_goals_goals_tenant_id_goal_id" FOREIGN KEY ("tenant_id", "goal_id") REFERENCES "goals" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_document_goals_governing_documents_tenant_id_document_id" FOREIGN KEY ("tenant_id", "document_id") REFERENCES "governing_documents" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_document_goals_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "goal_links" (
    "tenant_id" TEXT NOT NULL,
    "parent_goal_id" TEXT NOT NULL,
    "child_goal_id" TEXT NOT NULL,
    "weight" TEXT NOT NULL,
    CONSTRAINT "pk_goal_links" PRIMARY KEY ("tenant_id", "parent_goal_id", "child_goal_id"),
    CONSTRAINT "fk_goal_links_goals_tenant_id_child_goal_id" FOREIGN KEY ("tenant_id", "child_goal_id") REFERENCES "goals" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_goal_links_goals_tenant_id_parent_goal_id" FOREIGN KEY ("tenant_id", "parent_goal_id") REFERENCES "goals" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_goal_links_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "indicators" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NULL,
    "unit_of_measure" TEXT NOT NULL,
    "decimals" INTEGER NOT NULL,
    "direction" TEXT NOT NULL,
    "periodicity" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "kolada_kpi_id" TEXT NULL,
    "kolada_municipality_id" TEXT NULL,
    "kolada_ou_id" TEXT NULL,
    "baseline_value" TEXT NULL,
    "baseline_period" TEXT NULL,
    "thresholds" TEXT NULL,
    "owner_unit_id" TEXT NOT NULL,
    "goal_id" TEXT NULL,
    "program_id" TEXT NULL,
    "is_basic_mission" INTEGER NOT NULL,
    "split_by_gender" INTEGER NOT NULL,
    "weight" TEXT NOT NULL,
    "sort_order" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_indicators" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_indicators_goals_tenant_id_goal_id" FOREIGN KEY ("tenant_id", "goal_id") REFERENCES "goals" ("tenant_id", "id"),
    CONSTRAINT "fk_indicators_org_units_tenant_id_owner_unit_id" FOREIGN KEY ("tenant_id", "owner_unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_indicators_programs_tenant_id_program_id" FOREIGN KEY ("tenant_id", "program_id") REFERENCES "programs" ("tenant_id", "id"),
    CONSTRAINT "fk_indicators_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "strategies" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "goal_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NULL,
    "sort_order" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_strategies" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_strategies_goals_tenant_id_goal_id" FOREIGN KEY ("tenant_id", "goal_id") REFERENCES "goals" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_strategies_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "activity_comments" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "activity_id" TEXT NOT NULL,
    "period_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "progress" INTEGER NOT NULL,
    "written_by" TEXT NOT NULL,
    "written_at" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_activity_comments" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_activity_comments_activities_tenant_id_activity_id" FOREIGN KEY ("tenant_id", "activity_id") REFERENCES "activities" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_activity_comments_follow_up_periods_tenant_id_period_id" FOREIGN KEY ("tenant_id", "period_id") REFERENCES "follow_up_periods" ("tenant_id", "id"),
    CONSTRAINT "fk_activity_comments_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "indicator_targets" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "indicator_id" TEXT NOT NULL,
    "period_key" TEXT NOT NULL,
    "value" TEXT NULL,
    "min" TEXT NULL,
    "max" TEXT NULL,
    "note" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_indicator_targets" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_indicator_targets_indicators_tenant_id_indicator_id" FOREIGN KEY ("tenant_id", "indicator_id") REFERENCES "indicators" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_indicator_targets_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "outcomes" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "indicator_id" TEXT NOT NULL,
    "period_key" TEXT NOT NULL,
    "value" TEXT NULL,
    "value_women" TEXT NULL,
    "value_men" TEXT NULL,
    "comment" TEXT NULL,
    "source" TEXT NOT NULL,
    "source_reference" TEXT NULL,
    "fetched_at" TEXT NULL,
    "is_revised" INTEGER NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_outcomes" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_outcomes_indicators_tenant_id_indicator_id" FOREIGN KEY ("tenant_id", "indicator_id") REFERENCES "indicators" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_outcomes_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "outcome_revisions" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "outcome_id" TEXT NOT NULL,
    "value" TEXT NULL,
    "value_women" TEXT NULL,
    "value_men" TEXT NULL,
    "source" TEXT NOT NULL,
    "source_reference" TEXT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TEXT NOT NULL,
    "replaced_at" TEXT NOT NULL,
    CONSTRAINT "pk_outcome_revisions" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_outcome_revisions_outcomes_tenant_id_outcome_id" FOREIGN KEY ("tenant_id", "outcome_id") REFERENCES "outcomes" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_outcome_revisions_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_activities_tenant_id_goal_id" ON "activities" ("tenant_id", "goal_id");

CREATE INDEX "ix_activities_tenant_id_program_id" ON "activities" ("tenant_id", "program_id");

CREATE INDEX "ix_activities_tenant_id_responsible_unit_id" ON "activities" ("tenant_id", "responsible_unit_id");

CREATE INDEX "ix_activity_comments_tenant_id_activity_id" ON "activity_comments" ("tenant_id", "activity_id");

CREATE INDEX "ix_activity_comments_tenant_id_period_id" ON "activity_comments" ("tenant_id", "period_id");

CREATE UNIQUE INDEX "ix_assessments_tenant_id_goal_id_period_id" ON "assessments" ("tenant_id", "goal_id", "period_id");

CREATE INDEX "ix_assessments_tenant_id_period_id" ON "assessments" ("tenant_id", "period_id");

CREATE UNIQUE INDEX "ix_budget_frames_tenant_id_unit_id_year" ON "budget_frames" ("tenant_id", "unit_id", "year");

CREATE UNIQUE INDEX "ix_budget_outcomes_tenant_id_frame_id_period_key" ON "budget_outcomes" ("tenant_id", "frame_id", "period_key");

CREATE INDEX "ix_dimensions_tenant_id_model_id" ON "dimensions" ("tenant_id", "model_id");

CREATE INDEX "ix_document_goals_tenant_id_goal_id" ON "document_goals" ("tenant_id", "goal_id");

CREATE UNIQUE INDEX "ix_follow_up_periods_tenant_id_key" ON "follow_up_periods" ("tenant_id", "key");

CREATE INDEX "ix_goal_levels_tenant_id_model_id" ON "goal_levels" ("tenant_id", "model_id");

CREATE INDEX "ix_goal_links_tenant_id_child_goal_id" ON "goal_links" ("tenant_id", "child_goal_id");

CREATE INDEX "ix_goals_tenant_id_dimension_id" ON "goals" ("tenant_id", "dimension_id");

CREATE INDEX "ix_goals_tenant_id_level_id" ON "goals" ("tenant_id", "level_id");

CREATE INDEX "ix_goals_tenant_id_model_id" ON "goals" ("tenant_id", "model_id");

CREATE INDEX "ix_goals_tenant_id_owner_unit_id" ON "goals" ("tenant_id", "owner_unit_id");

CREATE INDEX "ix_governing_documents_tenant_id_decided_by_unit_id" ON "governing_documents" ("tenant_id", "decided_by_unit_id");

CREATE UNIQUE INDEX "ix_indicator_targets_tenant_id_indicator_id_period_key" ON "indicator_targets" ("tenant_id", "indicator_id", "period_key");

CREATE INDEX "ix_indicators_tenant_id_goal_id" ON "indicators" ("tenant_id", "goal_id");

CREATE INDEX "ix_indicators_tenant_id_owner_unit_id" ON "indicators" ("tenant_id", "owner_unit_id");

CREATE INDEX "ix_indicators_tenant_id_program_id" ON "indicators" ("tenant_id", "program_id");

CREATE INDEX "ix_org_units_tenant_id_parent_id" ON "org_units" ("tenant_id", "parent_id");

CREATE INDEX "ix_outcome_revisions_tenant_id_outcome_id" ON "outcome_revisions" ("tenant_id", "outcome_id");

CREATE UNIQUE INDEX "ix_outcomes_tenant_id_indicator_id_period_key" ON "outcomes" ("tenant_id", "indicator_id", "period_key");

CREATE INDEX "ix_programs_tenant_id_owner_unit_id" ON "programs" ("tenant_id", "owner_unit_id");

CREATE INDEX "ix_report_snapshots_tenant_id_period_id" ON "report_snapshots" ("tenant_id", "period_id");

CREATE INDEX "ix_report_snapshots_tenant_id_unit_id" ON "report_snapshots" ("tenant_id", "unit_id");

CREATE UNIQUE INDEX "ix_scale_levels_tenant_id_model_id_key" ON "scale_levels" ("tenant_id", "model_id", "key");

CREATE INDEX "ix_strategies_tenant_id_goal_id" ON "strategies" ("tenant_id", "goal_id");

CREATE UNIQUE INDEX "ix_tenants_slug" ON "tenants" ("slug");

CREATE INDEX "ix_unit_period_statuses_tenant_id_period_id" ON "unit_period_statuses" ("tenant_id", "period_id");

CREATE UNIQUE INDEX "ix_unit_period_statuses_tenant_id_unit_id_period_id" ON "unit_period_statuses" ("tenant_id", "unit_id", "period_id");

CREATE INDEX "ix_unit_services_tenant_id_committee_id" ON "unit_services" ("tenant_id", "committee_id");
