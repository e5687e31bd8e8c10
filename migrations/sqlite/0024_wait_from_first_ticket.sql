-- One definition of a worker's wait (issue 14), for the dashboard and the report alike: from the
-- issue of the first ticket of the visit (`original_issued_at`, kept across transfers) to the
-- call of the ticket that served them, counted when that ticket is done. The report measured from
-- the re-issue after a transfer (ticket Z011: 8.9 min in the report, 70.9 on the dashboard).
-- The wait roll-up is rebuilt from the tickets with the one definition.

DROP TRIGGER service_rollup_update;
DROP TRIGGER service_rollup_insert;

CREATE TRIGGER service_rollup_update AFTER UPDATE OF state ON tickets
WHEN NEW.state = 'done' AND OLD.state != 'done'
BEGIN
    INSERT INTO wait_rollup
    SELECT q.site_id, NEW.local_day,
           CAST(ROUND((julianday(NEW.called_at) - julianday(NEW.original_issued_at)) * 86400.0) AS INTEGER), 1
    FROM queues q WHERE q.id = NEW.queue_id AND NEW.called_at IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO service_rollup
    SELECT q.site_id, NEW.local_day, COALESCE(NEW.window_id, 0), COALESCE(NEW.staff_id, 0), 1,
           COALESCE(CAST(ROUND((julianday(NEW.finished_at) - julianday(NEW.started_at)) * 86400.0) AS INTEGER), 0),
           NEW.started_at IS NOT NULL AND NEW.finished_at IS NOT NULL
    FROM queues q WHERE q.id = NEW.queue_id
    ON CONFLICT DO UPDATE SET served = served + 1, service_sum = service_sum + excluded.service_sum,
        timed = timed + excluded.timed;
END;

CREATE TRIGGER service_rollup_insert AFTER INSERT ON tickets
WHEN NEW.state = 'done'
BEGIN
    INSERT INTO wait_rollup
    SELECT q.site_id, NEW.local_day,
           CAST(ROUND((julianday(NEW.called_at) - julianday(NEW.original_issued_at)) * 86400.0) AS INTEGER), 1
    FROM queues q WHERE q.id = NEW.queue_id AND NEW.called_at IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO service_rollup
    SELECT q.site_id, NEW.local_day, COALESCE(NEW.window_id, 0), COALESCE(NEW.staff_id, 0), 1,
           COALESCE(CAST(ROUND((julianday(NEW.finished_at) - julianday(NEW.started_at)) * 86400.0) AS INTEGER), 0),
           NEW.started_at IS NOT NULL AND NEW.finished_at IS NOT NULL
    FROM queues q WHERE q.id = NEW.queue_id
    ON CONFLICT DO UPDATE SET served = served + 1, service_sum = service_sum + excluded.service_sum,
        timed = timed + excluded.timed;
END;

DELETE FROM wait_rollup;
INSERT INTO wait_rollup
SELECT q.site_id, t.local_day,
       CAST(ROUND((julianday(t.called_at) - julianday(t.original_issued_at)) * 86400.0) AS INTEGER) AS w,
       COUNT(*)
FROM tickets t JOIN queues q ON q.id = t.queue_id
WHERE t.state = 'done' AND t.called_at IS NOT NULL GROUP BY 1, 2, 3;
