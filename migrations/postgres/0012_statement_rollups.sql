-- The report facts and roll-ups of 0010 and 0011, kept by statement-level triggers (issue 7).
-- The row triggers ran a plpgsql function and several upserts on a few hot roll-up rows for every
-- case and ticket: seeding a million cases for the report benchmark had not finished after 25
-- minutes. Here each statement's rows are read once from its transition tables and each roll-up
-- gets one grouped upsert, so a bulk insert costs a few set operations and a single-row intake or
-- ticket change costs the same queries over one row.
--
-- The figures are those of the row triggers for every write the application makes:
-- * a case's facts are copied when it is stored (with no outcome yet);
-- * a ticket's outcome, when it is inserted with one or when an UPDATE changes it to a non-NULL
--   value, becomes its case's outcome. The row trigger fired on `UPDATE OF outcome` even when the
--   value did not change; transition tables cannot be combined with a column list, so rows are
--   compared instead, and an update that writes the same outcome again no longer re-copies it
--   (the application never does that: only `finish` writes an outcome, on a ticket without one).
--   When one statement gives several tickets of a case an outcome, the latest finished wins (ties:
--   the highest id), as in the back-fill of 0010; the row triggers kept whichever row came last;
-- * a ticket that becomes `done` (inserted done, or updated from another state) counts once in
--   the wait and service roll-ups;
-- * a change of a case's outcome moves it from one case roll-up row to another; rows that reach
--   0 stay, as before (the report reads `HAVING SUM(n) > 0`).
-- Old and new rows of an UPDATE are matched by primary key, which nothing updates.
--
-- A statement trigger fires even when the statement changed nothing, and every ticket write
-- (issue, call, recall, start, ...) fires a ticket one: every query below is a no-op on empty
-- input, and the ticket triggers return early unless some row is done or has an outcome.
--
-- Every query reading a transition table runs through EXECUTE. PL/pgSQL keeps one generic plan
-- per static query for the whole session, made with the row count of the first call: a join of
-- two one-row transition tables planned as a nested loop then took over two minutes for a
-- 40,000-row statement on the same connection. EXECUTE plans each time with the real counts.

DROP TRIGGER case_facts_on_intake ON cases;
DROP TRIGGER case_facts_on_finish ON tickets;
DROP TRIGGER case_rollup_insert ON case_facts;
DROP TRIGGER case_rollup_outcome ON case_facts;
DROP TRIGGER service_rollup_update ON tickets;
DROP TRIGGER service_rollup_insert ON tickets;
DROP FUNCTION case_facts_on_intake();
DROP FUNCTION case_facts_on_finish();
DROP FUNCTION case_rollup_insert();
DROP FUNCTION case_rollup_outcome();
DROP FUNCTION service_rollup_done();

CREATE FUNCTION case_facts_of_new_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
        INSERT INTO case_facts (case_id, site_id, local_day, route, flags, categories, groups,
                                employer_name, credit_code)
        SELECT id, site_id, local_day, route, flags::text,
               COALESCE((record -> 'dispute' -> 'categories')::text, '[]'),
               COALESCE((record -> 'applicant' -> 'groups')::text, '[]'),
               counterparty_name, record -> 'counterparty' ->> 'credit_code'
        FROM new_cases
    $q$;
    RETURN NULL;
END $$;
CREATE TRIGGER case_facts_of_new_cases AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION case_facts_of_new_cases();

CREATE FUNCTION case_rollup_of_new_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
        INSERT INTO case_rollup AS r (site_id, local_day, route, flags, categories, groups,
                                      outcome, n)
        SELECT site_id, local_day, COALESCE(route, ''), flags, categories, groups,
               COALESCE(outcome, ''), COUNT(*)
        FROM new_facts GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (site_id, local_day, route, flags, categories, groups, outcome)
        DO UPDATE SET n = r.n + EXCLUDED.n
    $q$;
    EXECUTE $q$
        INSERT INTO employer_rollup AS r (site_id, local_day, employer_name, credit_code, n)
        SELECT site_id, local_day, employer_name, COALESCE(credit_code, ''), COUNT(*)
        FROM new_facts GROUP BY 1, 2, 3, 4
        ON CONFLICT (site_id, local_day, employer_name, credit_code)
        DO UPDATE SET n = r.n + EXCLUDED.n
    $q$;
    RETURN NULL;
END $$;
CREATE TRIGGER case_rollup_of_new_facts AFTER INSERT ON case_facts
    REFERENCING NEW TABLE AS new_facts
    FOR EACH STATEMENT EXECUTE FUNCTION case_rollup_of_new_facts();

-- Cases whose outcome changed leave their old roll-up row and join their new one.
CREATE FUNCTION case_rollup_of_changed_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
        UPDATE case_rollup r SET n = r.n - d.n
        FROM (SELECT o.site_id, o.local_day, COALESCE(o.route, '') AS route, o.flags,
                     o.categories, o.groups, COALESCE(o.outcome, '') AS outcome, COUNT(*) AS n
              FROM old_facts o JOIN new_facts f ON f.case_id = o.case_id
              WHERE o.outcome IS DISTINCT FROM f.outcome
              GROUP BY 1, 2, 3, 4, 5, 6, 7) d
        WHERE r.site_id = d.site_id AND r.local_day = d.local_day AND r.route = d.route
          AND r.flags = d.flags AND r.categories = d.categories AND r.groups = d.groups
          AND r.outcome = d.outcome
    $q$;
    EXECUTE $q$
        INSERT INTO case_rollup AS r (site_id, local_day, route, flags, categories, groups,
                                      outcome, n)
        SELECT f.site_id, f.local_day, COALESCE(f.route, ''), f.flags, f.categories, f.groups,
               COALESCE(f.outcome, ''), COUNT(*)
        FROM old_facts o JOIN new_facts f ON f.case_id = o.case_id
        WHERE o.outcome IS DISTINCT FROM f.outcome
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (site_id, local_day, route, flags, categories, groups, outcome)
        DO UPDATE SET n = r.n + EXCLUDED.n
    $q$;
    RETURN NULL;
END $$;
CREATE TRIGGER case_rollup_of_changed_facts AFTER UPDATE ON case_facts
    REFERENCING OLD TABLE AS old_facts NEW TABLE AS new_facts
    FOR EACH STATEMENT EXECUTE FUNCTION case_rollup_of_changed_facts();

-- Inserted tickets: an outcome goes to the case, a done ticket to the wait and service roll-ups.
-- The seed inserts its tickets done; the application inserts them waiting.
CREATE FUNCTION report_facts_of_new_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM new_tickets WHERE state = 'done' OR outcome IS NOT NULL) THEN
        RETURN NULL;
    END IF;
    EXECUTE $q$
        UPDATE case_facts f SET outcome = t.outcome, finished_at = t.finished_at
        FROM (SELECT DISTINCT ON (case_id) case_id, outcome, finished_at FROM new_tickets
              WHERE outcome IS NOT NULL AND case_id IS NOT NULL
              ORDER BY case_id, finished_at DESC NULLS LAST, id DESC) t
        WHERE f.case_id = t.case_id
    $q$;
    EXECUTE $q$
        INSERT INTO wait_rollup AS r (site_id, local_day, wait_secs, n)
        SELECT q.site_id, t.local_day,
               CAST(ROUND(EXTRACT(EPOCH FROM (t.called_at - t.issued_at))) AS BIGINT), COUNT(*)
        FROM new_tickets t JOIN queues q ON q.id = t.queue_id
        WHERE t.state = 'done' AND t.called_at IS NOT NULL
        GROUP BY 1, 2, 3
        ON CONFLICT (site_id, local_day, wait_secs) DO UPDATE SET n = r.n + EXCLUDED.n
    $q$;
    EXECUTE $q$
        INSERT INTO service_rollup AS r (site_id, local_day, window_id, staff_id, served,
                                         service_sum, timed)
        SELECT q.site_id, t.local_day, COALESCE(t.window_id, 0), COALESCE(t.staff_id, 0),
               COUNT(*),
               COALESCE(SUM(CAST(ROUND(EXTRACT(EPOCH FROM (t.finished_at - t.started_at)))
                                 AS BIGINT)), 0),
               COUNT(*) FILTER (WHERE t.started_at IS NOT NULL AND t.finished_at IS NOT NULL)
        FROM new_tickets t JOIN queues q ON q.id = t.queue_id
        WHERE t.state = 'done'
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (site_id, local_day, window_id, staff_id) DO UPDATE SET
            served = r.served + EXCLUDED.served,
            service_sum = r.service_sum + EXCLUDED.service_sum,
            timed = r.timed + EXCLUDED.timed
    $q$;
    RETURN NULL;
END $$;
CREATE TRIGGER report_facts_of_new_tickets AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_tickets
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_of_new_tickets();

-- Updated tickets: only rows whose outcome changed to a value, or whose state changed to done.
CREATE FUNCTION report_facts_of_changed_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Calls, recalls, starts and the like end here, without planning the joins below.
    IF NOT EXISTS (SELECT 1 FROM new_tickets WHERE state = 'done' OR outcome IS NOT NULL) THEN
        RETURN NULL;
    END IF;
    EXECUTE $q$
        UPDATE case_facts f SET outcome = t.outcome, finished_at = t.finished_at
        FROM (SELECT DISTINCT ON (n.case_id) n.case_id, n.outcome, n.finished_at
              FROM new_tickets n JOIN old_tickets o ON o.id = n.id
              WHERE n.outcome IS NOT NULL AND n.case_id IS NOT NULL
                AND n.outcome IS DISTINCT FROM o.outcome
              ORDER BY n.case_id, n.finished_at DESC NULLS LAST, n.id DESC) t
        WHERE f.case_id = t.case_id
    $q$;
    EXECUTE $q$
        INSERT INTO wait_rollup AS r (site_id, local_day, wait_secs, n)
        SELECT q.site_id, n.local_day,
               CAST(ROUND(EXTRACT(EPOCH FROM (n.called_at - n.issued_at))) AS BIGINT), COUNT(*)
        FROM new_tickets n JOIN old_tickets o ON o.id = n.id JOIN queues q ON q.id = n.queue_id
        WHERE n.state = 'done' AND o.state <> 'done' AND n.called_at IS NOT NULL
        GROUP BY 1, 2, 3
        ON CONFLICT (site_id, local_day, wait_secs) DO UPDATE SET n = r.n + EXCLUDED.n
    $q$;
    EXECUTE $q$
        INSERT INTO service_rollup AS r (site_id, local_day, window_id, staff_id, served,
                                         service_sum, timed)
        SELECT q.site_id, n.local_day, COALESCE(n.window_id, 0), COALESCE(n.staff_id, 0),
               COUNT(*),
               COALESCE(SUM(CAST(ROUND(EXTRACT(EPOCH FROM (n.finished_at - n.started_at)))
                                 AS BIGINT)), 0),
               COUNT(*) FILTER (WHERE n.started_at IS NOT NULL AND n.finished_at IS NOT NULL)
        FROM new_tickets n JOIN old_tickets o ON o.id = n.id JOIN queues q ON q.id = n.queue_id
        WHERE n.state = 'done' AND o.state <> 'done'
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (site_id, local_day, window_id, staff_id) DO UPDATE SET
            served = r.served + EXCLUDED.served,
            service_sum = r.service_sum + EXCLUDED.service_sum,
            timed = r.timed + EXCLUDED.timed
    $q$;
    RETURN NULL;
END $$;
CREATE TRIGGER report_facts_of_changed_tickets AFTER UPDATE ON tickets
    REFERENCING OLD TABLE AS old_tickets NEW TABLE AS new_tickets
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_of_changed_tickets();
