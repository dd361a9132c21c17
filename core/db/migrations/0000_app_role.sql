-- The role tenant-scoped queries run as. It cannot log in and is not a superuser, so
-- row-level security applies to it; roles are cluster-wide, hence the existence check.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bizosaas_app') THEN
    CREATE ROLE bizosaas_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;
--> statement-breakpoint
-- The connecting user must be able to SET ROLE to it (a no-op for superusers).
GRANT bizosaas_app TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO bizosaas_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bizosaas_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO bizosaas_app;
--> statement-breakpoint
-- Whether a tenant id lies in the scope `withTenantScope` set for this transaction: '*' for
-- platform-wide staff, else a comma-separated list of tenant ids. Unset means nothing is visible.
CREATE OR REPLACE FUNCTION bizosaas_tenant_visible(tid text) RETURNS boolean
  LANGUAGE sql STABLE
  AS $fn$
    SELECT coalesce(current_setting('app.tenant_ids', true), '') = '*'
        OR tid = ANY (string_to_array(nullif(current_setting('app.tenant_ids', true), ''), ','))
  $fn$;
