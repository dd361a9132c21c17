-- Verifying the chain compares its last record with the head; reading the head is harmless.
GRANT SELECT ON audit_chain_head TO bizosaas_app;
