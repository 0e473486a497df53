-- Kedja schema migration 0020_internal_control_assignments (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Issue 15 (ADR 46): each unit's risk register with a yearly assessment per risk and the tenant's risk scale; each
-- committee's internal control plan with its control actions, their results per follow-up period and the measures
-- decided after them; the assignments (uppdrag) of the council and committees with their reports and goal links; and
-- the portal switches that publish assignments and decided plans.

ALTER TABLE tenants ADD COLUMN publish_assignments boolean NOT NULL DEFAULT FALSE;
ALTER TABLE tenants ALTER COLUMN publish_assignments DROP DEFAULT;
ALTER TABLE tenants ADD COLUMN publish_control_plans boolean NOT NULL DEFAULT FALSE;
ALTER TABLE tenants ALTER COLUMN publish_control_plans DROP DEFAULT;

CREATE TABLE risk_settings (
    tenant_id uuid NOT NULL,
    likelihood_labels character varying(4000) NOT NULL,
    consequence_labels character varying(4000) NOT NULL,
    bands character varying(4000) NOT NULL,
    categories character varying(4000) NOT NULL,
    plan_threshold integer NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_risk_settings PRIMARY KEY (tenant_id),
    CONSTRAINT fk_risk_settings_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE risks (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    number integer NOT NULL,
    unit_id uuid NOT NULL,
    title character varying(400) NOT NULL,
    description character varying(4000),
    category character varying(400),
    process character varying(400),
    owner character varying(400),
    first_year integer NOT NULL,
    last_year integer,
    version integer NOT NULL,
    CONSTRAINT pk_risks PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_risks_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_risks_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE risk_assessments (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    risk_id uuid NOT NULL,
    year integer NOT NULL,
    likelihood integer NOT NULL,
    consequence integer NOT NULL,
    existing_controls character varying(4000),
    likelihood_after integer,
    consequence_after integer,
    reasoning character varying(4000),
    assessed_by character varying(400) NOT NULL,
    assessed_at timestamp with time zone NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_risk_assessments PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_risk_assessments_risks_tenant_id_risk_id FOREIGN KEY (tenant_id, risk_id) REFERENCES risks (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_risk_assessments_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE control_plans (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    unit_id uuid NOT NULL,
    year integer NOT NULL,
    status character varying(40) NOT NULL,
    decided_on date,
    decision_paragraph character varying(400),
    change_reason character varying(4000),
    description character varying(4000),
    version integer NOT NULL,
    CONSTRAINT pk_control_plans PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_control_plans_org_units_tenant_id_unit_id FOREIGN KEY (tenant_id, unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_control_plans_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE control_plan_risks (
    tenant_id uuid NOT NULL,
    plan_id uuid NOT NULL,
    risk_id uuid NOT NULL,
    CONSTRAINT pk_control_plan_risks PRIMARY KEY (tenant_id, plan_id, risk_id),
    CONSTRAINT fk_control_plan_risks_control_plans_tenant_id_plan_id FOREIGN KEY (tenant_id, plan_id) REFERENCES control_plans (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_control_plan_risks_risks_tenant_id_risk_id FOREIGN KEY (tenant_id, risk_id) REFERENCES risks (tenant_id, id),
    CONSTRAINT fk_control_plan_risks_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE control_actions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    plan_id uuid NOT NULL,
    risk_id uuid,
    title character varying(400) NOT NULL,
    method character varying(400) NOT NULL,
    scope character varying(400),
    responsible_unit_id uuid NOT NULL,
    responsible_person character varying(400),
    period_id uuid NOT NULL,
    report_to character varying(400),
    sort_order integer NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_control_actions PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_control_actions_control_plans_tenant_id_plan_id FOREIGN KEY (tenant_id, plan_id) REFERENCES control_plans (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_control_actions_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id),
    CONSTRAINT fk_control_actions_org_units_tenant_id_responsible_unit_id FOREIGN KEY (tenant_id, responsible_unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_control_actions_risks_tenant_id_risk_id FOREIGN KEY (tenant_id, risk_id) REFERENCES risks (tenant_id, id),
    CONSTRAINT fk_control_actions_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE control_results (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    action_id uuid NOT NULL,
    period_id uuid NOT NULL,
    outcome character varying(40) NOT NULL,
    findings character varying(8000),
    reason character varying(4000),
    written_by character varying(400) NOT NULL,
    written_at timestamp with time zone NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_control_results PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_control_results_control_actions_tenant_id_action_id FOREIGN KEY (tenant_id, action_id) REFERENCES control_actions (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_control_results_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id),
    CONSTRAINT fk_control_results_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE control_measures (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    action_id uuid NOT NULL,
    period_id uuid,
    text character varying(4000) NOT NULL,
    owner character varying(400),
    deadline date,
    status character varying(40) NOT NULL,
    done_on date,
    version integer NOT NULL,
    CONSTRAINT pk_control_measures PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_control_measures_control_actions_tenant_id_action_id FOREIGN KEY (tenant_id, action_id) REFERENCES control_actions (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_control_measures_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id),
    CONSTRAINT fk_control_measures_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE assignments (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    number integer NOT NULL,
    title character varying(400) NOT NULL,
    text character varying(4000) NOT NULL,
    giver character varying(40) NOT NULL,
    giver_unit_id uuid,
    decided_on date NOT NULL,
    decision_paragraph character varying(400),
    responsible_unit_id uuid NOT NULL,
    due_date date,
    due_period_id uuid,
    status character varying(40) NOT NULL,
    status_reason character varying(4000),
    closed_on date,
    closed_by character varying(400),
    version integer NOT NULL,
    CONSTRAINT pk_assignments PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_assignments_follow_up_periods_tenant_id_due_period_id FOREIGN KEY (tenant_id, due_period_id) REFERENCES follow_up_periods (tenant_id, id),
    CONSTRAINT fk_assignments_org_units_tenant_id_giver_unit_id FOREIGN KEY (tenant_id, giver_unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_assignments_org_units_tenant_id_responsible_unit_id FOREIGN KEY (tenant_id, responsible_unit_id) REFERENCES org_units (tenant_id, id),
    CONSTRAINT fk_assignments_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE assignment_reports (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    assignment_id uuid NOT NULL,
    period_id uuid NOT NULL,
    text character varying(8000) NOT NULL,
    status character varying(40) NOT NULL,
    written_by character varying(400) NOT NULL,
    written_at timestamp with time zone NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_assignment_reports PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_assignment_reports_assignments_tenant_id_assignment_id FOREIGN KEY (tenant_id, assignment_id) REFERENCES assignments (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_assignment_reports_follow_up_periods_tenant_id_period_id FOREIGN KEY (tenant_id, period_id) REFERENCES follow_up_periods (tenant_id, id),
    CONSTRAINT fk_assignment_reports_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE assignment_goals (
    tenant_id uuid NOT NULL,
    assignment_id uuid NOT NULL,
    goal_id uuid NOT NULL,
    CONSTRAINT pk_assignment_goals PRIMARY KEY (tenant_id, assignment_id, goal_id),
    CONSTRAINT fk_assignment_goals_assignments_tenant_id_assignment_id FOREIGN KEY (tenant_id, assignment_id) REFERENCES assignments (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_assignment_goals_goals_tenant_id_goal_id FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_assignment_goals_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE INDEX ix_assignment_goals_tenant_id_goal_id ON assignment_goals (tenant_id, goal_id);
CREATE UNIQUE INDEX ix_assignment_reports_tenant_id_assignment_id_period_id ON assignment_reports (tenant_id, assignment_id, period_id);
CREATE INDEX ix_assignment_reports_tenant_id_period_id ON assignment_reports (tenant_id, period_id);
CREATE INDEX ix_assignments_tenant_id_due_period_id ON assignments (tenant_id, due_period_id);
CREATE INDEX ix_assignments_tenant_id_giver_unit_id ON assignments (tenant_id, giver_unit_id);
CREATE UNIQUE INDEX ix_assignments_tenant_id_number ON assignments (tenant_id, number);
CREATE INDEX ix_assignments_tenant_id_responsible_unit_id ON assignments (tenant_id, responsible_unit_id);
CREATE INDEX ix_control_actions_tenant_id_period_id ON control_actions (tenant_id, period_id);
CREATE INDEX ix_control_actions_tenant_id_plan_id ON control_actions (tenant_id, plan_id);
CREATE INDEX ix_control_actions_tenant_id_responsible_unit_id ON control_actions (tenant_id, responsible_unit_id);
CREATE INDEX ix_control_actions_tenant_id_risk_id ON control_actions (tenant_id, risk_id);
CREATE INDEX ix_control_measures_tenant_id_action_id ON control_measures (tenant_id, action_id);
CREATE INDEX ix_control_measures_tenant_id_period_id ON control_measures (tenant_id, period_id);
CREATE INDEX ix_control_plan_risks_tenant_id_risk_id ON control_plan_risks (tenant_id, risk_id);
CREATE UNIQUE INDEX ix_control_plans_tenant_id_unit_id_year ON control_plans (tenant_id, unit_id, year);
CREATE UNIQUE INDEX ix_control_results_tenant_id_action_id_period_id ON control_results (tenant_id, action_id, period_id);
CREATE INDEX ix_control_results_tenant_id_period_id ON control_results (tenant_id, period_id);
CREATE UNIQUE INDEX ix_risk_assessments_tenant_id_risk_id_year ON risk_assessments (tenant_id, risk_id, year);
CREATE UNIQUE INDEX ix_risks_tenant_id_number ON risks (tenant_id, number);
CREATE INDEX ix_risks_tenant_id_unit_id ON risks (tenant_id, unit_id);
