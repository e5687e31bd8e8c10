-- One definition of a worker's wait (issue 14), for the dashboard and the report alike: from the
-- issue of the first ticket of the visit (`original_issued_at`, kept across transfers) to the
-- call of the ticket that served them, counted when that ticket is done. The report measured from
-- the re-issue after a transfer (ticket Z011: 8.9 min in the report, 70.9 on the dashboard).
-- The wait roll-up is rebuilt from the tickets with the one definition.

-- Inserted tickets: an outcome goes to the case, a done ticket to the wait and service roll-ups.
-- The seed inserts its tickets done; the application inserts them waiting.
CREATE OR REPLACE FUNCTION report_facts_of_new_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
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
               CAST(ROUND(EXTRACT(EPOCH FROM (t.called_at - t.original_issued_at))) AS BIGINT), COUNT(*)
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

-- Updated tickets: only rows whose outcome changed to a value, or whose state changed to done.
CREATE OR REPLACE FUNCTION report_facts_of_changed_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
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
               CAST(ROUND(EXTRACT(EPOCH FROM (n.called_at - n.original_issued_at))) AS BIGINT), COUNT(*)
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

DELETE FROM wait_rollup;
INSERT INTO wait_rollup
SELECT q.site_id, t.local_day,
       CAST(ROUND(EXTRACT(EPOCH FROM (t.called_at - t.original_issued_at))) AS BIGINT), COUNT(*)
FROM tickets t JOIN queues q ON q.id = t.queue_id
WHERE t.state = 'done' AND t.called_at IS NOT NULL GROUP BY 1, 2, 3;
