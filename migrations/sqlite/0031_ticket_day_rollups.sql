-- The dashboard at scale (issue 14), continued: a busy day holds tens of thousands of served
-- tickets, and summing them on every reload took 100–200 ms on PostgreSQL. Triggers keep the
-- sums as tickets are issued and finished; the dashboard reads at most a few hundred rows.
--
-- Visits per local hour (Beijing time, as every `local_day`): a visit begins with a ticket not
-- issued by a transfer, at the hour of its `original_issued_at`, kept across transfers.
CREATE TABLE visit_rollup (
    site_id     INTEGER NOT NULL,
    local_day   TEXT NOT NULL,
    hour        INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (site_id, local_day, hour)
);

-- Served tickets (done: a done ticket never changes again) per queue and window (0: none): the
-- waits of those called (first issue of the visit to the call, whole seconds rounded as the wait
-- roll-up rounds them), the services timed, and the last finish. The report's `service_rollup`
-- holds the same services per window and clerk, but not per queue, and no waits.
CREATE TABLE queue_served_rollup (
    queue_id            INTEGER NOT NULL,
    local_day           TEXT NOT NULL,
    window_id           INTEGER NOT NULL,
    tickets             INTEGER NOT NULL,
    wait_sum            INTEGER NOT NULL,
    waits               INTEGER NOT NULL,
    service_sum         INTEGER NOT NULL,
    services            INTEGER NOT NULL,
    last_finished_at    TEXT,
    PRIMARY KEY (queue_id, local_day, window_id)
);

CREATE TRIGGER visit_rollup_insert AFTER INSERT ON tickets
WHEN NEW.transferred_from IS NULL
BEGIN
    INSERT INTO visit_rollup
    SELECT q.site_id, NEW.local_day,
           CAST(strftime('%H', NEW.original_issued_at, '+8 hours') AS INTEGER), 1
    FROM queues q WHERE q.id = NEW.queue_id
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- The seed inserts its tickets done; the application inserts them waiting.
CREATE TRIGGER queue_served_rollup_insert AFTER INSERT ON tickets
WHEN NEW.state = 'done'
BEGIN
    INSERT INTO queue_served_rollup VALUES (NEW.queue_id, NEW.local_day, COALESCE(NEW.window_id, 0), 1,
        COALESCE(CAST(ROUND((julianday(NEW.called_at) - julianday(NEW.original_issued_at)) * 86400.0) AS INTEGER), 0),
        NEW.called_at IS NOT NULL,
        COALESCE(CAST(ROUND((julianday(NEW.finished_at) - julianday(NEW.started_at)) * 86400.0) AS INTEGER), 0),
        NEW.started_at IS NOT NULL AND NEW.finished_at IS NOT NULL,
        NEW.finished_at)
    ON CONFLICT DO UPDATE SET tickets = tickets + 1, wait_sum = wait_sum + excluded.wait_sum,
        waits = waits + excluded.waits, service_sum = service_sum + excluded.service_sum,
        services = services + excluded.services,
        last_finished_at = COALESCE(MAX(last_finished_at, excluded.last_finished_at),
                                    last_finished_at, excluded.last_finished_at);
END;

CREATE TRIGGER queue_served_rollup_update AFTER UPDATE OF state ON tickets
WHEN NEW.state = 'done' AND OLD.state != 'done'
BEGIN
    INSERT INTO queue_served_rollup VALUES (NEW.queue_id, NEW.local_day, COALESCE(NEW.window_id, 0), 1,
        COALESCE(CAST(ROUND((julianday(NEW.called_at) - julianday(NEW.original_issued_at)) * 86400.0) AS INTEGER), 0),
        NEW.called_at IS NOT NULL,
        COALESCE(CAST(ROUND((julianday(NEW.finished_at) - julianday(NEW.started_at)) * 86400.0) AS INTEGER), 0),
        NEW.started_at IS NOT NULL AND NEW.finished_at IS NOT NULL,
        NEW.finished_at)
    ON CONFLICT DO UPDATE SET tickets = tickets + 1, wait_sum = wait_sum + excluded.wait_sum,
        waits = waits + excluded.waits, service_sum = service_sum + excluded.service_sum,
        services = services + excluded.services,
        last_finished_at = COALESCE(MAX(last_finished_at, excluded.last_finished_at),
                                    last_finished_at, excluded.last_finished_at);
END;

-- What is already stored.
INSERT INTO visit_rollup
SELECT q.site_id, t.local_day, CAST(strftime('%H', t.original_issued_at, '+8 hours') AS INTEGER),
       COUNT(*)
FROM tickets t JOIN queues q ON q.id = t.queue_id
WHERE t.transferred_from IS NULL GROUP BY 1, 2, 3;
INSERT INTO queue_served_rollup
SELECT t.queue_id, t.local_day, COALESCE(t.window_id, 0), COUNT(*),
       COALESCE(SUM(CAST(ROUND((julianday(t.called_at) - julianday(t.original_issued_at)) * 86400.0) AS INTEGER)), 0),
       COUNT(t.called_at),
       COALESCE(SUM(CAST(ROUND((julianday(t.finished_at) - julianday(t.started_at)) * 86400.0) AS INTEGER)), 0),
       SUM(t.started_at IS NOT NULL AND t.finished_at IS NOT NULL),
       MAX(t.finished_at)
FROM tickets t WHERE t.state = 'done' GROUP BY 1, 2, 3;
