-- Kedja schema migration 0001_core (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Tenants, organisation, governance model, goals, indicators, outcomes, follow-up, activities, documents, budget.

CREATE TABLE tenants (
    id uuid NOT NULL,
    slug character varying(60) NOT NULL,
    name character varying(400) NOT NULL,
    kommunkod character varying(4),
    created_at timestamp with time zone NOT NULL,
    version integer NOT NULL,
    data_version bigint NOT NULL,
    CONSTRAINT pk_tenants PRIMARY KEY (id)
);

CREATE TABLE follow_up_periods (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    key character varying(400) NOT NULL,
    year integer NOT NULL,
    kind character varying(40) NOT NULL,
    name character varying(400) NOT NULL,
    start_date date NOT NULL,
    end_date date NOT NULL,
    deadline date,
    is_published boolean NOT NULL,
    published_at timestamp with time zone,
    published_by character varying(400),
    version integer NOT NULL,
    CONSTRAINT pk_follow_up_periods PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_follow_up_periods_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE governance_models (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    name character varying(400) NOT NULL,
    template_key character varying(400),
    status character varying(40) NOT NULL,
    first_year integer NOT NULL,
    last_year integer NOT NULL,
    vision character varying(4000) NOT NULL,
    description character varying(4000),
    dimension_label character varying(400) NOT NULL,
    cadence character varying(40) NOT NULL,
    cadence_overrides character varying(4000) NOT NULL,
    default_thresholds character varying(4000) NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_governance_models PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_governance_models_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE org_units (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    parent_id uuid,
    name character varying(400) NOT NULL,
    short_name character varying(400),
    kind character varying(40) NOT NULL,
    code character varying(400),
    sort_order integer NOT NULL,
    is_active boolean NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_org_units PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_org_units_org_units_tenant_id_parent_id FOREIGN KEY (tenant_id, parent_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_org_units_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE dimensions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    model_id uuid NOT NULL,
    name character varying(400) NOT NULL,
    description character varying(4000),
    sort_order integer NOT NULL,
    colour character varying(400),
    allowed_unit_kinds text NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_dimensions PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_dimensions_governance_models_tenant_id_model_id FOREIGN KEY (tenant_id, model_id) REFERENCES governance_models (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_dimensions_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE goal_levels (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    model_id uuid NOT NULL,
    name character varying(400) NOT NULL,
    description character varying(4000),
    depth integer NOT NULL,
    unit_kinds text NOT NULL,
    horizon_min_years integer,
    horizon_max_years integer,
    requires_parent boolean NOT NULL,
    has_strategies boolean NOT NULL,
    rollup character varying(4000) NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_goal_levels PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_goal_levels_governance_models_tenant_id_model_id FOREIGN KEY (tenant_id, model_id) REFERENCES governance_models (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_goal_levels_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE scale_levels (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    model_id uuid NOT NULL,
    key character varying(400) NOT NULL,
    label character varying(400) NOT NULL,
    plural character varying(400),
    description character varying(400),
    colour character varying(400) NOT NULL,
    symbol character varying(400) NOT NULL,
    score numeric(18,4) NOT NULL,
    sort_order integer NOT NULL,
    is_not_assessed boolean NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_scale_levels PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_scale_levels_governance_models_tenant_id_model_id FOREIGN KEY (tenant_id, model_id) REFERENCES governance_models (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_scale_levels_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE budget_frames (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    unit_id uuid NOT NULL,
    year integer NOT NULL,
    amount numeric(18,4) NOT NULL,
    note character varying(400),
    version integer NOT NULL,
    CONSTRAINT pk_budget_frames PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_budget_frames_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_budget_frames_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE governing_documents (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    kind character varying(40) NOT NULL,
    title character varying(400) NOT NULL,
    description character varying(4000),
    decided_by_unit_id uuid,
    decided_on date,
    valid_from date,
    valid_to date,
    url character varying(400),
    version integer NOT NULL,
    CONSTRAINT pk_governing_documents PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_governing_documents_org_units_tenant_id_decided_by_unit_id FOREIGN KEY (tenant_id, decided_by_unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_governing_documents_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE programs (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    name character varying(400) NOT NULL,
    description character varying(4000),
    owner_unit_id uuid,
    valid_from_year integer,
    valid_to_year integer,
    version integer NOT NULL,
    CONSTRAINT pk_programs PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_programs_org_units_tenant_id_owner_unit_id FOREIGN KEY (tenant_id, owner_unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_programs_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE report_snapshots (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    period_id uuid,
    unit_id uuid,
    title character varying(400) NOT NULL,
    format character varying(400) NOT NULL,
    content bytea NOT NULL,
    content_hash character varying(400) NOT NULL,
    created_by character varying(400) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_report_snapshots PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_report_snapshots_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id),
    CONSTRAINT fk_report_snapshots_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_report_snapshots_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE unit_period_statuses (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    unit_id uuid NOT NULL,
    period_id uuid NOT NULL,
    state character varying(40) NOT NULL,
    changed_by character varying(400),
    changed_at timestamp with time zone,
    reopen_reason character varying(400),
    version integer NOT NULL,
    CONSTRAINT pk_unit_period_statuses PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_unit_period_statuses_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_unit_period_statuses_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_unit_period_statuses_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE unit_services (
    tenant_id uuid NOT NULL,
    administration_id uuid NOT NULL,
    committee_id uuid NOT NULL,
    CONSTRAINT pk_unit_services PRIMARY KEY (tenant_id, administration_id, committee_id),
    CONSTRAINT fk_unit_services_org_units_tenant_id_administration_id FOREIGN KEY (tenant_id, administration_id) REFERENCES org_units (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_unit_services_org_units_tenant_id_committee_id FOREIGN KEY (tenant_id, committee_id) REFERENCES org_units (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_unit_services_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE goals (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    model_id uuid NOT NULL,
    level_id uuid NOT NULL,
    owner_unit_id uuid NOT NULL,
    dimension_id uuid,
    title character varying(400) NOT NULL,
    description character varying(8000),
    code character varying(400),
    valid_from_year integer,
    valid_to_year integer,
    agenda2030 text NOT NULL,
    sort_order integer NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_goals PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_goals_dimensions_tenant_id_dimension_id FOREIGN KEY (tenant_id, dimension_id) REFERENCES dimensions (tenant_id, id),
    CONSTRAINT fk_goals_goal_levels_tenant_id_level_id FOREIGN KEY (tenant_id, level_id) REFERENCES goal_levels (tenant_id, id),
    CONSTRAINT fk_goals_governance_models_tenant_id_model_id FOREIGN KEY (tenant_id, model_id) REFERENCES governance_models (tenant_id, id),
    CONSTRAINT fk_goals_org_units_tenant_id_owner_unit_id FOREIGN KEY (tenant_id, owner_unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_goals_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE budget_outcomes (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    frame_id uuid NOT NULL,
    period_key character varying(400) NOT NULL,
    actual numeric(18,4) NOT NULL,
    forecast numeric(18,4),
    version integer NOT NULL,
    CONSTRAINT pk_budget_outcomes PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_budget_outcomes_budget_frames_tenant_id_frame_id FOREIGN KEY (tenant_id, frame_id) REFERENCES budget_frames (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_budget_outcomes_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE activities (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    title character varying(400) NOT NULL,
    description character varying(4000),
    goal_id uuid,
    program_id uuid,
    responsible_unit_id uuid NOT NULL,
    start_date date,
    end_date date,
    status character varying(40) NOT NULL,
    progress integer NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_activities PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_activities_goals_tenant_id_goal_id FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id),
    CONSTRAINT fk_activities_org_units_tenant_id_responsible_unit_id FOREIGN KEY (tenant_id, responsible_unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_activities_programs_tenant_id_program_id FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id),
    CONSTRAINT fk_activities_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE assessments (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    goal_id uuid NOT NULL,
    period_id uuid NOT NULL,
    status_key character varying(400) NOT NULL,
    suggested_status_key character varying(400),
    deviates_from_rule boolean NOT NULL,
    motivation character varying(8000),
    analysis character varying(8000),
    actions character varying(8000),
    assessed_by character varying(400) NOT NULL,
    assessed_at timestamp with time zone NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_assessments PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_assessments_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id),
    CONSTRAINT fk_assessments_goals_tenant_id_goal_id FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_assessments_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE document_goals (
    tenant_id uuid NOT NULL,
    document_id uuid NOT NULL,
    goal_id uuid NOT NULL,
    CONSTRAINT pk_document_goals PRIMARY KEY (tenant_id, document_id, goal_id),
    CONSTRAINT fk_document_goals_goals_tenant_id_goal_id FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_document_goals_governing_documents_tenant_id_document_id FOREIGN KEY (tenant_id, document_id) REFERENCES governing_documents (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_document_goals_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE goal_links (
    tenant_id uuid NOT NULL,
    parent_goal_id uuid NOT NULL,
    child_goal_id uuid NOT NULL,
    weight numeric(18,4) NOT NULL,
    CONSTRAINT pk_goal_links PRIMARY KEY (tenant_id, parent_goal_id, child_goal_id),
    CONSTRAINT fk_goal_links_goals_tenant_id_child_goal_id FOREIGN KEY (tenant_id, child_goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_goal_links_goals_tenant_id_parent_goal_id FOREIGN KEY (tenant_id, parent_goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_goal_links_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE indicators (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    name character varying(400) NOT NULL,
    description character varying(4000),
    unit_of_measure character varying(400) NOT NULL,
    decimals integer NOT NULL,
    direction character varying(40) NOT NULL,
    periodicity character varying(40) NOT NULL,
    source character varying(40) NOT NULL,
    kolada_kpi_id character varying(400),
    kolada_municipality_id character varying(400),
    kolada_ou_id character varying(400),
    baseline_value numeric(18,4),
    baseline_period character varying(400),
    thresholds character varying(4000),
    owner_unit_id uuid NOT NULL,
    goal_id uuid,
    program_id uuid,
    is_basic_mission boolean NOT NULL,
    split_by_gender boolean NOT NULL,
    weight numeric(18,4) NOT NULL,
    sort_order integer NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_indicators PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_indicators_goals_tenant_id_goal_id FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id),
    CONSTRAINT fk_indicators_org_units_tenant_id_owner_unit_id FOREIGN KEY (tenant_id, owner_unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_indicators_programs_tenant_id_program_id FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id),
    CONSTRAINT fk_indicators_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE strategies (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    goal_id uuid NOT NULL,
    title character varying(400) NOT NULL,
    description character varying(4000),
    sort_order integer NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_strategies PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_strategies_goals_tenant_id_goal_id FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_strategies_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE activity_comments (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    activity_id uuid NOT NULL,
    period_id uuid NOT NULL,
    text character varying(8000) NOT NULL,
    status character varying(40) NOT NULL,
    progress integer NOT NULL,
    written_by character varying(400) NOT NULL,
    written_at timestamp with time zone NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_activity_comments PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_activity_comments_activities_tenant_id_activity_id FOREIGN KEY (tenant_id, activity_id) REFERENCES activities (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_activity_comments_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id),
    CONSTRAINT fk_activity_comments_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE indicator_targets (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    indicator_id uuid NOT NULL,
    period_key character varying(400) NOT NULL,
    value numeric(18,4),
    min numeric(18,4),
    max numeric(18,4),
    note character varying(400),
    version integer NOT NULL,
    CONSTRAINT pk_indicator_targets PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_indicator_targets_indicators_tenant_id_indicator_id FOREIGN KEY (tenant_id, indicator_id) REFERENCES indicators (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_indicator_targets_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE outcomes (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    indicator_id uuid NOT NULL,
    period_key character varying(400) NOT NULL,
    value numeric(18,4),
    value_women numeric(18,4),
    value_men numeric(18,4),
    comment character varying(4000),
    source character varying(40) NOT NULL,
    source_reference character varying(400),
    fetched_at timestamp with time zone,
    is_revised boolean NOT NULL,
    recorded_by character varying(400) NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_outcomes PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_outcomes_indicators_tenant_id_indicator_id FOREIGN KEY (tenant_id, indicator_id) REFERENCES indicators (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_outcomes_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE outcome_revisions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    outcome_id uuid NOT NULL,
    value numeric(18,4),
    value_women numeric(18,4),
    value_men numeric(18,4),
    source character varying(40) NOT NULL,
    source_reference character varying(400),
    recorded_by character varying(400) NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    replaced_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_outcome_revisions PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_outcome_revisions_outcomes_tenant_id_outcome_id FOREIGN KEY (tenant_id, outcome_id) REFERENCES outcomes (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_outcome_revisions_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE INDEX ix_activities_tenant_id_goal_id ON activities (tenant_id, goal_id);

CREATE INDEX ix_activities_tenant_id_program_id ON activities (tenant_id, program_id);

CREATE INDEX ix_activities_tenant_id_responsible_unit_id ON activities (tenant_id, responsible_unit_id);

CREATE INDEX ix_activity_comments_tenant_id_activity_id ON activity_comments (tenant_id, activity_id);

CREATE INDEX ix_activity_comments_tenant_id_period_id ON activity_comments (tenant_id, period_id);

CREATE UNIQUE INDEX ix_assessments_tenant_id_goal_id_period_id ON assessments (tenant_id, goal_id, period_id);

CREATE INDEX ix_assessments_tenant_id_period_id ON assessments (tenant_id, period_id);

CREATE UNIQUE INDEX ix_budget_frames_tenant_id_unit_id_year ON budget_frames (tenant_id, unit_id, year);

CREATE UNIQUE INDEX ix_budget_outcomes_tenant_id_frame_id_period_key ON budget_outcomes (tenant_id, frame_id, period_key);

CREATE INDEX ix_dimensions_tenant_id_model_id ON dimensions (tenant_id, model_id);

CREATE INDEX ix_document_goals_tenant_id_goal_id ON document_goals (tenant_id, goal_id);

CREATE UNIQUE INDEX ix_follow_up_periods_tenant_id_key ON follow_up_periods (tenant_id, key);

CREATE INDEX ix_goal_levels_tenant_id_model_id ON goal_levels (tenant_id, model_id);

CREATE INDEX ix_goal_links_tenant_id_child_goal_id ON goal_links (tenant_id, child_goal_id);

CREATE INDEX ix_goals_tenant_id_dimension_id ON goals (tenant_id, dimension_id);

CREATE INDEX ix_goals_tenant_id_level_id ON goals (tenant_id, level_id);

CREATE INDEX ix_goals_tenant_id_model_id ON goals (tenant_id, model_id);

CREATE INDEX ix_goals_tenant_id_owner_unit_id ON goals (tenant_id, owner_unit_id);

CREATE INDEX ix_governing_documents_tenant_id_decided_by_unit_id ON governing_documents (tenant_id, decided_by_unit_id);

CREATE UNIQUE INDEX ix_indicator_targets_tenant_id_indicator_id_period_key ON indicator_targets (tenant_id, indicator_id, period_key);

CREATE INDEX ix_indicators_tenant_id_goal_id ON indicators (tenant_id, goal_id);

CREATE INDEX ix_indicators_tenant_id_owner_unit_id ON indicators (tenant_id, owner_unit_id);

CREATE INDEX ix_indicators_tenant_id_program_id ON indicators (tenant_id, program_id);

CREATE INDEX ix_org_units_tenant_id_parent_id ON org_units (tenant_id, parent_id);

CREATE INDEX ix_outcome_revisions_tenant_id_outcome_id ON outcome_revisions (tenant_id, outcome_id);

CREATE UNIQUE INDEX ix_outcomes_tenant_id_indicator_id_period_key ON outcomes (tenant_id, indicator_id, period_key);

CREATE INDEX ix_programs_tenant_id_owner_unit_id ON programs (tenant_id, owner_unit_id);

CREATE INDEX ix_report_snapshots_tenant_id_period_id ON report_snapshots (tenant_id, period_id);

CREATE INDEX ix_report_snapshots_tenant_id_unit_id ON report_snapshots (tenant_id, unit_id);

CREATE UNIQUE INDEX ix_scale_levels_tenant_id_model_id_key ON scale_levels (tenant_id, model_id, key);

CREATE INDEX ix_strategies_tenant_id_goal_id ON strategies (tenant_id, goal_id);

CREATE UNIQUE INDEX ix_tenants_slug ON tenants (slug);

CREATE INDEX ix_unit_period_statuses_tenant_id_period_id ON unit_period_statuses (tenant_id, period_id);

CREATE UNIQUE INDEX ix_unit_period_statuses_tenant_id_unit_id_period_id ON unit_period_statuses (tenant_id, unit_id, period_id);

CREATE INDEX ix_unit_services_tenant_id_committee_id ON unit_services (tenant_id, committee_id);
