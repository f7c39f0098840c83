-- Extends the audit chain in one statement (issue 13: the append was five round trips per request: BEGIN, the
-- chain's lock, the head read, the insert, COMMIT). The hub passes each event's columns and the two halves of its
-- canonical encoding around prevHash (domain/audit-chain.ts, encodingAroundPrevHash); this function takes the
-- chain's advisory lock (until the calling transaction ends: the statement's own, or the caller's when a change
-- and its event commit together), reads the head after the lock, and inserts the events in order, each hashed
-- with SHA-256 over head || JSON(prev_hash) || tail. Verification stays in the hub (AuditTrail.verify), so an
-- encoding that differed here would be reported as HASH_MISMATCH by the first verify (tested).
CREATE OR REPLACE FUNCTION hub_audit_append(events jsonb) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  prev text;
  event jsonb;
  digest text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('hub:audit-chain'));
  SELECT hash INTO prev FROM audit_event ORDER BY seq DESC LIMIT 1;
  prev := coalesce(prev, repeat('0', 64));
  FOR event IN SELECT e FROM jsonb_array_elements(events) WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
    digest := encode(sha256(convert_to((event->>'encodingHead') || to_json(prev)::text || (event->>'encodingTail'), 'UTF8')), 'hex');
    INSERT INTO audit_event (time, consumer_id, consumer_code, purpose, operation_name, document_hash, subjects,
                             catalogue_items, outcome, request_id, target, variables_hash, prev_hash, hash)
    VALUES ((event->>'time')::timestamptz, (event->>'consumerId')::uuid, event->>'consumerCode', event->>'purpose',
            event->>'operationName', event->>'documentHash',
            ARRAY(SELECT v FROM jsonb_array_elements_text(event->'subjects') WITH ORDINALITY AS s(v, i) ORDER BY i),
            ARRAY(SELECT v FROM jsonb_array_elements_text(event->'catalogueItems') WITH ORDINALITY AS c(v, i) ORDER BY i),
            (event->>'outcome')::"AuditOutcome", event->>'requestId', event->>'target', event->>'variablesHash', prev, digest);
    prev := digest;
  END LOOP;
END;
$$;
