-- Kedja schema migration 0008_unconfirmed_passwords (Postgres). Applied once, in a transaction, by SchemaMigrator.
-- Before issue 6 a tenant administrator chose a new person's first password. Such an account never confirmed its
-- e-mail through a link, and whoever chose its password may still know it (and may have made tokens with it). Its
-- password and tokens end here; the person chooses their own through "Glömt lösenord" or a new invitation (ADR 11).
-- Every account with a password has since confirmed its e-mail by setting it, or is the bootstrap administrator.

UPDATE access_tokens SET revoked_at = now()
WHERE revoked_at IS NULL
  AND user_id IN (SELECT id FROM users WHERE NOT email_confirmed AND NOT is_system_admin AND password_hash IS NOT NULL);

UPDATE users SET password_hash = NULL, security_stamp = md5(random()::text)
WHERE NOT email_confirmed AND NOT is_system_admin AND password_hash IS NOT NULL;
