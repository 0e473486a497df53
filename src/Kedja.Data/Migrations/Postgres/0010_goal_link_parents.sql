-- Kedja schema migration 0010_goal_link_parents (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- The goals above a changed goal are found by child (ADR 19); with the parent in the index that is an index-only scan.

DROP INDEX ix_goal_links_tenant_id_child_goal_id;

CREATE INDEX ix_goal_links_tenant_id_child_goal_id_parent_goal_id ON goal_links (tenant_id, child_goal_id, parent_goal_id);
