-- Kedja schema migration 0020_internal_control_assignments (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- Issue 15 (ADR 46): each unit's risk register with a yearly assessment per risk and the tenant's risk scale; each
-- committee's internal control plan with its control actions, their results per follow-up period and the measures
-- decided after them; the assignments (uppdrag) of the council and committees with their reports and goal links; and
-- the portal switches that publish assignments and decided plans.

ALTER TABLE "tenants" ADD COLUMN "publish_assignments" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "tenants" ADD COLUMN "publish_control_plans" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "risk_settings" (
    "tenant_id" TEXT NOT NULL CONSTRAINT "pk_risk_settings" PRIMARY KEY,
    "likelihood_labels" TEXT NOT NULL,
    "consequence_labels" TEXT NOT NULL,
    "bands" TEXT NOT NULL,
    "categories" TEXT NOT NULL,
    "plan_threshold" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_risk_settings_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "risks" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "unit_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NULL,
    "category" TEXT NULL,
    "process" TEXT NULL,
    "owner" TEXT NULL,
    "first_year" INTEGER NOT NULL,
    "last_year" INTEGER NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_risks" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_risks_org_units_tenant_id_unit_id" FOREIGN KEY ("tenant_id", "unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_risks_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "risk_assessments" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "risk_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "likelihood" INTEGER NOT NULL,
    "consequence" INTEGER NOT NULL,
    "existing_controls" TEXT NULL,
    "likelihood_after" INTEGER NULL,
    "consequence_after" INTEGER NULL,
    "reasoning" TEXT NULL,
    "assessed_by" TEXT NOT NULL,
    "assessed_at" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_risk_assessments" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_risk_assessments_risks_tenant_id_risk_id" FOREIGN KEY ("tenant_id", "risk_id") REFERENCES "risks" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_risk_assessments_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "control_plans" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "decided_on" TEXT NULL,
    "decision_paragraph" TEXT NULL,
    "change_reason" TEXT NULL,
    "description" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_control_plans" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_control_plans_org_units_tenant_id_unit_id" FOREIGN KEY ("tenant_id", "unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_control_plans_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "control_plan_risks" (
    "tenant_id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "risk_id" TEXT NOT NULL,
    CONSTRAINT "pk_control_plan_risks" PRIMARY KEY ("tenant_id", "plan_id", "risk_id"),
    CONSTRAINT "fk_control_plan_risks_control_plans_tenant_id_plan_id" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "control_plans" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_control_plan_risks_risks_tenant_id_risk_id" FOREIGN KEY ("tenant_id", "risk_id") REFERENCES "risks" ("tenant_id", "id"),
    CONSTRAINT "fk_control_plan_risks_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "control_actions" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "risk_id" TEXT NULL,
    "title" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "scope" TEXT NULL,
    "responsible_unit_id" TEXT NOT NULL,
    "responsible_person" TEXT NULL,
    "period_id" TEXT NOT NULL,
    "report_to" TEXT NULL,
    "sort_order" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_control_actions" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_control_actions_control_plans_tenant_id_plan_id" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "control_plans" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_control_actions_follow_up_periods_tenant_id_period_id" FOREIGN KEY ("tenant_id", "period_id") REFERENCES "follow_up_periods" ("tenant_id", "id"),
    CONSTRAINT "fk_control_actions_org_units_tenant_id_responsible_unit_id" FOREIGN KEY ("tenant_id", "responsible_unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_control_actions_risks_tenant_id_risk_id" FOREIGN KEY ("tenant_id", "risk_id") REFERENCES "risks" ("tenant_id", "id"),
    CONSTRAINT "fk_control_actions_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "control_results" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "action_id" TEXT NOT NULL,
    "period_id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "findings" TEXT NULL,
    "reason" TEXT NULL,
    "written_by" TEXT NOT NULL,
    "written_at" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_control_results" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_control_results_control_actions_tenant_id_action_id" FOREIGN KEY ("tenant_id", "action_id") REFERENCES "control_actions" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_control_results_follow_up_periods_tenant_id_period_id" FOREIGN KEY ("tenant_id", "period_id") REFERENCES "follow_up_periods" ("tenant_id", "id"),
    CONSTRAINT "fk_control_results_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "control_measures" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "action_id" TEXT NOT NULL,
    "period_id" TEXT NULL,
    "text" TEXT NOT NULL,
    "owner" TEXT NULL,
    "deadline" TEXT NULL,
    "status" TEXT NOT NULL,
    "done_on" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_control_measures" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_control_measures_control_actions_tenant_id_action_id" FOREIGN KEY ("tenant_id", "action_id") REFERENCES "control_actions" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_control_measures_follow_up_periods_tenant_id_period_id" FOREIGN KEY ("tenant_id", "period_id") REFERENCES "follow_up_periods" ("tenant_id", "id"),
    CONSTRAINT "fk_control_measures_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "assignments" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "giver" TEXT NOT NULL,
    "giver_unit_id" TEXT NULL,
    "decided_on" TEXT NOT NULL,
    "decision_paragraph" TEXT NULL,
    "responsible_unit_id" TEXT NOT NULL,
    "due_date" TEXT NULL,
    "due_period_id" TEXT NULL,
    "status" TEXT NOT NULL,
    "status_reason" TEXT NULL,
    "closed_on" TEXT NULL,
    "closed_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_assignments" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_assignments_follow_up_periods_tenant_id_due_period_id" FOREIGN KEY ("tenant_id", "due_period_id") REFERENCES "follow_up_periods" ("tenant_id", "id"),
    CONSTRAINT "fk_assignments_org_units_tenant_id_giver_unit_id" FOREIGN KEY ("tenant_id", "giver_unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_assignments_org_units_tenant_id_responsible_unit_id" FOREIGN KEY ("tenant_id", "responsible_unit_id") REFERENCES "org_units" ("tenant_id", "id"),
    CONSTRAINT "fk_assignments_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "assignment_reports" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "assignment_id" TEXT NOT NULL,
    "period_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "written_by" TEXT NOT NULL,
    "written_at" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_assignment_reports" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "fk_assignment_reports_assignments_tenant_id_assignment_id" FOREIGN KEY ("tenant_id", "assignment_id") REFERENCES "assignments" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_assignment_reports_follow_up_periods_tenant_id_period_id" FOREIGN KEY ("tenant_id", "period_id") REFERENCES "follow_up_periods" ("tenant_id", "id"),
    CONSTRAINT "fk_assignment_reports_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "assignment_goals" (
    "tenant_id" TEXT NOT NULL,
    "assignment_id" TEXT NOT NULL,
    "goal_id" TEXT NOT NULL,
    CONSTRAINT "pk_assignment_goals" PRIMARY KEY ("tenant_id", "assignment_id", "goal_id"),
    CONSTRAINT "fk_assignment_goals_assignments_tenant_id_assignment_id" FOREIGN KEY ("tenant_id", "assignment_id") REFERENCES "assignments" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_assignment_goals_goals_tenant_id_goal_id" FOREIGN KEY ("tenant_id", "goal_id") REFERENCES "goals" ("tenant_id", "id") ON DELETE CASCADE,
    CONSTRAINT "fk_assignment_goals_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_assignment_goals_tenant_id_goal_id" ON "assignment_goals" ("tenant_id", "goal_id");
CREATE UNIQUE INDEX "ix_assignment_reports_tenant_id_assignment_id_period_id" ON "assignment_reports" ("tenant_id", "assignment_id", "period_id");
CREATE INDEX "ix_assignment_reports_tenant_id_period_id" ON "assignment_reports" ("tenant_id", "period_id");
CREATE INDEX "ix_assignments_tenant_id_due_period_id" ON "assignments" ("tenant_id", "due_period_id");
CREATE INDEX "ix_assignments_tenant_id_giver_unit_id" ON "assignments" ("tenant_id", "giver_unit_id");
CREATE UNIQUE INDEX "ix_assignments_tenant_id_number" ON "assignments" ("tenant_id", "number");
CREATE INDEX "ix_assignments_tenant_id_responsible_unit_id" ON "assignments" ("tenant_id", "responsible_unit_id");
CREATE INDEX "ix_control_actions_tenant_id_period_id" ON "control_actions" ("tenant_id", "period_id");
CREATE INDEX "ix_control_actions_tenant_id_plan_id" ON "control_actions" ("tenant_id", "plan_id");
CREATE INDEX "ix_control_actions_tenant_id_responsible_unit_id" ON "control_actions" ("tenant_id", "responsible_unit_id");
CREATE INDEX "ix_control_actions_tenant_id_risk_id" ON "control_actions" ("tenant_id", "risk_id");
CREATE INDEX "ix_control_measures_tenant_id_action_id" ON "control_measures" ("tenant_id", "action_id");
CREATE INDEX "ix_control_measures_tenant_id_period_id" ON "control_measures" ("tenant_id", "period_id");
CREATE INDEX "ix_control_plan_risks_tenant_id_risk_id" ON "control_plan_risks" ("tenant_id", "risk_id");
CREATE UNIQUE INDEX "ix_control_plans_tenant_id_unit_id_year" ON "control_plans" ("tenant_id", "unit_id", "year");
CREATE UNIQUE INDEX "ix_control_results_tenant_id_action_id_period_id" ON "control_results" ("tenant_id", "action_id", "period_id");
CREATE INDEX "ix_control_results_tenant_id_period_id" ON "control_results" ("tenant_id", "period_id");
CREATE UNIQUE INDEX "ix_risk_assessments_tenant_id_risk_id_year" ON "risk_assessments" ("tenant_id", "risk_id", "year");
CREATE UNIQUE INDEX "ix_risks_tenant_id_number" ON "risks" ("tenant_id", "number");
CREATE INDEX "ix_risks_tenant_id_unit_id" ON "risks" ("tenant_id", "unit_id");
