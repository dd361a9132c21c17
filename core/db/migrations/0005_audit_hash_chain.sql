-- The chain head belongs to the trigger below; the application role never touches it.
REVOKE ALL ON audit_chain_head FROM bizosaas_app;
--> statement-breakpoint
INSERT INTO audit_chain_head (id, seq, hash)
  SELECT 1, coalesce(max(seq), 0), '' FROM audit_log
  ON CONFLICT (id) DO NOTHING;
--> statement-breakpoint
-- A record's hash: SHA-256 over the previous hash and every field, as a JSON array (unambiguous).
CREATE OR REPLACE FUNCTION bizosaas_audit_record_hash(r audit_log) RETURNS text
  LANGUAGE sql STABLE
  AS $fn$
    SELECT encode(sha256(convert_to(json_build_array(
      r.prev_hash, r.id, r.seq, extract(epoch from r.at)::numeric, r.request_id, r.tenant_id, r.user_id, r.user_email,
      r.impersonator_id, r.impersonator_email, r.via, r.tool, r.target, r.args, r.outcome, r.error,
      round(r.duration_ms::numeric, 3)
    )::text, 'UTF8')), 'hex')
  $fn$;
--> statement-breakpoint
-- Each insert takes the chain head under a row lock (so concurrent transactions queue and the
-- chain never forks), numbers the record gaplessly (a deleted record leaves a gap), links it to
-- the previous hash and moves the head. SECURITY DEFINER: it must see the whole chain, which
-- row-level security would hide from a tenant-scoped caller.
CREATE OR REPLACE FUNCTION bizosaas_audit_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $fn$
  DECLARE
    head audit_chain_head;
  BEGIN
    SELECT * INTO head FROM audit_chain_head WHERE id = 1 FOR UPDATE;
    NEW.seq := head.seq + 1;
    NEW.prev_hash := nullif(head.hash, '');
    NEW.hash := bizosaas_audit_record_hash(NEW);
    UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
    RETURN NEW;
  END
  $fn$;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION bizosaas_audit_chain();
--> statement-breakpoint
-- Append-only for everyone, the owner included: changing history means disabling this trigger
-- first, on purpose, and the chain verification still finds what changed.
CREATE OR REPLACE FUNCTION bizosaas_audit_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $fn$
  BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
  END
  $fn$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION bizosaas_audit_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION bizosaas_audit_append_only();
