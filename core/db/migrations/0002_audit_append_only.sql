-- The audit log is append-only for the application: no update, no delete, ever.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM bizosaas_app;
