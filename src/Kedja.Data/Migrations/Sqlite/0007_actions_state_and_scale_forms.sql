-- Kedja schema migration 0007_actions_state_and_scale_forms (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- An assessment's actions (åtgärder) stay open until someone closes them, so that they are carried into the planning
-- of later years. Scale steps get the singular forms explanations need after one en-word or one ett-word; rows
-- without them read the standard scale's forms or their label (see ScaleStep).

ALTER TABLE "assessments" ADD COLUMN "actions_closed_at" TEXT NULL;
ALTER TABLE "assessments" ADD COLUMN "actions_closed_by" TEXT NULL;
ALTER TABLE "scale_levels" ADD COLUMN "singular_common" TEXT NULL;
ALTER TABLE "scale_levels" ADD COLUMN "singular_neuter" TEXT NULL;
