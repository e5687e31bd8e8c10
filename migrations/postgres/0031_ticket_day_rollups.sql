-- The dashboard at scale (issue 14), continued: a busy day holds tens of thousands of served
-- tickets, and summing them on every reload took 100–200 ms. Triggers keep the sums as tickets
-- are issued and finished; the dashboard reads at most a few hundred rows.
--
-- Visits per local hour (Beijing time, UTC+8, as every `local_day`): a visit begins with a
-- ticket not issued by a transfer, at the hour of its `original_issued_at`, kept across
-- transfers.
CREATE TABLE visit_rollup (
    site_id     BIGINT NOT NULL,
    local_day   DATE NOT NULL,
    hour        INTEGER NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (site_id, local_day, hour)
);

-- Served tickets (done: a done ticket never changes again) per queue and window (0: none): the
-- waits of those called (first issue of the visit to the call, whole seconds rounded as the wait
-- roll-up rounds them), the services timed, and the last finish. The report's `service_rollup`
-- holds the same services per window and clerk, but not per queue, and no waits.
CREATE TABLE queue_served_rollup (
    queue_id            BIGINT NOT NULL,
    local_day           DATE NOT NULL,
    window_id           BIGINT NOT NULL,
    tickets             BIGINT NOT NULL,
    wait_sum            BIGINT NOT NULL,
    waits               BIGINT NOT NULL,
    service_sum         BIGINT NOT NULL,
    services            BIGINT NOT NULL,
    last_finished_at    TIMESTAMPTZ,
    PRIMARY KEY (queue_id, local_day, window_id)
);

-- The served sums are written out three times (new tickets, changed tickets, what is already
-- stored): a transition table is visible only in its trigger's own function.
CREATE FUNCTION ticket_day_rollups_of_new_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO visit_rollup AS r (site_id, local_day, hour, n)
    SELECT q.site_id, t.local_day,
           CAST(EXTRACT(HOUR FROM (t.original_issued_at AT TIME ZONE 'UTC') + INTERVAL '8 hours')
                AS INTEGER),
           COUNT(*)
    FROM new_tickets t JOIN queues q ON q.id = t.queue_id
    WHERE t.transferred_from IS NULL
    GROUP BY 1, 2, 3
    ON CONFLICT (site_id, local_day, hour) DO UPDATE SET n = r.n + EXCLUDED.n;
    IF NOT EXISTS (SELECT 1 FROM new_tickets WHERE state = 'done') THEN
        RETURN NULL;
    END IF;
    INSERT INTO queue_served_rollup AS r
    SELECT t.queue_id, t.local_day, COALESCE(t.window_id, 0), COUNT(*),
           COALESCE(SUM(CAST(ROUND(EXTRACT(EPOCH FROM (t.called_at - t.original_issued_at)))
                             AS BIGINT)), 0),
           COUNT(t.called_at),
           COALESCE(SUM(CAST(ROUND(EXTRACT(EPOCH FROM (t.finished_at - t.started_at)))
                             AS BIGINT)), 0),
           COUNT(*) FILTER (WHERE t.started_at IS NOT NULL AND t.finished_at IS NOT NULL),
           MAX(t.finished_at)
    FROM new_tickets t
    WHERE t.state = 'done'
    GROUP BY 1, 2, 3
    ON CONFLICT (queue_id, local_day, window_id) DO UPDATE SET
        tickets = r.tickets + EXCLUDED.tickets,
        wait_sum = r.wait_sum + EXCLUDED.wait_sum,
        waits = r.waits + EXCLUDED.waits,
        service_sum = r.service_sum + EXCLUDED.service_sum,
        services = r.services + EXCLUDED.services,
        last_finished_at = GREATEST(r.last_finished_at, EXCLUDED.last_finished_at);
    RETURN NULL;
END $$;
CREATE TRIGGER ticket_day_rollups_of_new_tickets AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_tickets
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_day_rollups_of_new_tickets();

CREATE FUNCTION ticket_day_rollups_of_changed_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Calls, recalls, starts and the like end here.
    IF NOT EXISTS (SELECT 1 FROM new_tickets WHERE state = 'done') THEN
        RETURN NULL;
    END IF;
    INSERT INTO queue_served_rollup AS r
    SELECT t.queue_id, t.local_day, COALESCE(t.window_id, 0), COUNT(*),
           COALESCE(SUM(CAST(ROUND(EXTRACT(EPOCH FROM (t.called_at - t.original_issued_at)))
                             AS BIGINT)), 0),
           COUNT(t.called_at),
           COALESCE(SUM(CAST(ROUND(EXTRACT(EPOCH FROM (t.finished_at - t.started_at)))
                             AS BIGINT)), 0),
           COUNT(*) FILTER (WHERE t.started_at IS NOT NULL AND t.finished_at IS NOT NULL),
           MAX(t.finished_at)
    FROM new_tickets t JOIN old_tickets o ON o.id = t.id
    WHERE t.state = 'done' AND o.state <> 'done'
    GROUP BY 1, 2, 3
    ON CONFLICT (queue_id, local_day, window_id) DO UPDATE SET
        tickets = r.tickets + EXCLUDED.tickets,
        wait_sum = r.wait_sum + EXCLUDED.wait_sum,
        waits = r.waits + EXCLUDED.waits,
        service_sum = r.service_sum + EXCLUDED.service_sum,
        services = r.services + EXCLUDED.services,
        last_finished_at = GREATEST(r.last_finished_at, EXCLUDED.last_finished_at);
    RETURN NULL;
END $$;
CREATE TRIGGER ticket_day_rollups_of_changed_tickets AFTER UPDATE ON tickets
    REFERENCING OLD TABLE AS old_tickets NEW TABLE AS new_tickets
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_day_rollups_of_changed_tickets();

-- What is already stored.
INSERT INTO visit_rollup AS r (site_id, local_day, hour, n)
    SELECT q.site_id, t.local_day,
           CAST(EXTRACT(HOUR FROM (t.original_issued_at AT TIME ZONE 'UTC') + INTERVAL '8 hours')
                AS INTEGER),
           COUNT(*)
    FROM tickets t JOIN queues q ON q.id = t.queue_id
    WHERE t.transferred_from IS NULL
    GROUP BY 1, 2, 3
    ON CONFLICT (site_id, local_day, hour) DO UPDATE SET n = r.n + EXCLUDED.n;
INSERT INTO queue_served_rollup AS r
    SELECT t.queue_id, t.local_day, COALESCE(t.window_id, 0), COUNT(*),
           COALESCE(SUM(CAST(ROUND(EXTRACT(EPOCH FROM (t.called_at - t.original_issued_at)))
                             AS BIGINT)), 0),
           COUNT(t.called_at),
           COALESCE(SUM(CAST(ROUND(EXTRACT(EPOCH FROM (t.finished_at - t.started_at)))
                             AS BIGINT)), 0),
           COUNT(*) FILTER (WHERE t.started_at IS NOT NULL AND t.finished_at IS NOT NULL),
           MAX(t.finished_at)
    FROM tickets t
    WHERE t.state = 'done'
    GROUP BY 1, 2, 3
    ON CONFLICT (queue_id, local_day, window_id) DO UPDATE SET
        tickets = r.tickets + EXCLUDED.tickets,
        wait_sum = r.wait_sum + EXCLUDED.wait_sum,
        waits = r.waits + EXCLUDED.waits,
        service_sum = r.service_sum + EXCLUDED.service_sum,
        services = r.services + EXCLUDED.services,
        last_finished_at = GREATEST(r.last_finished_at, EXCLUDED.last_finished_at);
