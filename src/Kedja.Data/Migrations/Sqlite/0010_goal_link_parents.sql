-- Kedja schema migration 0010_goal_link_parents (Sqlite). Applied once, in a transaction, by SchemaMigrator.
-- The goals above a changed goal are found by child (ADR 19). With the parent in the index it covers that lookup, and
-- SQLite, which has no statistics here, no longer prefers walking the whole primary key because that one covers it.

DROP INDEX "ix_goal_links_tenant_id_child_goal_id";

CREATE INDEX "ix_goal_links_tenant_id_child_goal_id_parent_goal_id" ON "goal_links" ("tenant_id", "child_goal_id", "parent_goal_id");
