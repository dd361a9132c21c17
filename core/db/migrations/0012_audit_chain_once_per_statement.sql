-- The hash chain as before, but the chain head is locked once per transaction and moved once per
-- statement instead of once per record: a batch of a few hundred audit records took a row lock and
-- wrote a new head version for each one. Within a transaction the head travels in a local setting;
-- a caller who forges that setting only breaks the chain where verification will see it.
CREATE OR REPLACE FUNCTION bizosaas_audit_chain_lock_head() RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $fn$
  DECLARE
    head audit_chain_head;
  BEGIN
    -- Held until the transaction ends, so concurrent writers queue and the chain never forks.
    SELECT * INTO head FROM audit_chain_head WHERE id = 1 FOR UPDATE;
    RETURN head.seq || ':' || head.hash;
  END
  $fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bizosaas_audit_chain() RETURNS trigger
  LANGUAGE plpgsql
  AS $fn$
  DECLARE
    state text := current_setting('bizosaas.audit_chain', true);
  BEGIN
    IF state IS NULL OR state = '' THEN
      state := bizosaas_audit_chain_lock_head();
    END IF;
    NEW.seq := split_part(state, ':', 1)::bigint + 1;
    NEW.prev_hash := nullif(split_part(state, ':', 2), '');
    NEW.hash := bizosaas_audit_record_hash(NEW);
    PERFORM set_config('bizosaas.audit_chain', NEW.seq || ':' || NEW.hash, true);
    RETURN NEW;
  END
  $fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bizosaas_audit_chain_move_head() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $fn$
  DECLARE
    state text := current_setting('bizosaas.audit_chain', true);
  BEGIN
    IF state IS NOT NULL AND state <> '' THEN
      UPDATE audit_chain_head SET seq = split_part(state, ':', 1)::bigint, hash = split_part(state, ':', 2)
        WHERE id = 1;
    END IF;
    RETURN NULL;
  END
  $fn$;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain_head AFTER INSERT ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION bizosaas_audit_chain_move_head();
