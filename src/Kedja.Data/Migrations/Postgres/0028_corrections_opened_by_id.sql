-- Kedja schema migration 0028_corrections_opened_by_id (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Issue 16, review 16 findings 8 and 9: the account that opened a correction (a display name is not a person: only
-- that account, while still an administrator, changes the locked follow-up), and the unit's budget card as reported,
-- kept with each locked scorecard. Corrections opened before this have no account: nobody writes through them until
-- they are finished and opened again.

ALTER TABLE corrections ADD COLUMN opened_by_id character varying(400);
ALTER TABLE locked_scorecards ADD COLUMN budget text;
