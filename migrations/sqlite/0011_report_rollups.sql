-- Daily roll-ups for the report (issue 7): a month of a million cases must report in under two
-- seconds, and grouping a million rows per figure takes far longer. Triggers keep per-day counts
-- as cases are stored, finished and served; the report sums at most a few thousand rows a day.
-- Missing windows and staff are stored as 0 so that the upsert keys never hold NULL.

CREATE TABLE case_rollup (
    site_id     INTEGER NOT NULL,
    local_day   TEXT NOT NULL,
    route       TEXT NOT NULL,
    flags       TEXT NOT NULL,
    categories  TEXT NOT NULL,
    groups      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (site_id, local_day, route, flags, categories, groups, outcome)
);

CREATE TABLE employer_rollup (
    site_id         INTEGER NOT NULL,
    local_day       TEXT NOT NULL,
    employer_name   TEXT NOT NULL,
    credit_code     TEXT NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (site_id, local_day, employer_name, credit_code)
);

CREATE TABLE wait_rollup (
    site_id     INTEGER NOT NULL,
    local_day   TEXT NOT NULL,
    wait_secs   INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (site_id, local_day, wait_secs)
);

CREATE TABLE service_rollup (
    site_id     INTEGER NOT NULL,
    local_day   TEXT NOT NULL,
    window_id   INTEGER NOT NULL,
    staff_id    INTEGER NOT NULL,
    served      INTEGER NOT NULL,
    service_sum INTEGER NOT NULL,
    timed       INTEGER NOT NULL,
    PRIMARY KEY (site_id, local_day, window_id, staff_id)
);

CREATE TRIGGER case_rollup_insert AFTER INSERT ON case_facts
BEGIN
    INSERT INTO case_rollup VALUES (NEW.site_id, NEW.local_day, COALESCE(NEW.route, ''),
        NEW.flags, NEW.categories, NEW.groups, COALESCE(NEW.outcome, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO employer_rollup VALUES (NEW.site_id, NEW.local_day, NEW.employer_name,
        COALESCE(NEW.credit_code, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_rollup_outcome AFTER UPDATE OF outcome ON case_facts
WHEN COALESCE(OLD.outcome, '') != COALESCE(NEW.outcome, '')
BEGIN
    UPDATE case_rollup SET n = n - 1
    WHERE site_id = OLD.site_id AND local_day = OLD.local_day AND route = COALESCE(OLD.route, '')
      AND flags = OLD.flags AND categories = OLD.categories AND groups = OLD.groups
      AND outcome = COALESCE(OLD.outcome, '');
    INSERT INTO case_rollup VALUES (NEW.site_id, NEW.local_day, COALESCE(NEW.route, ''),
        NEW.flags, NEW.categories, NEW.groups, COALESCE(NEW.outcome, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER service_rollup_update AFTER UPDATE OF state ON tickets
WHEN NEW.state = 'done' AND OLD.state != 'done'
BEGIN
    INSERT INTO wait_rollup
    SELECT q.site_id, NEW.local_day,
           CAST(ROUND((julianday(NEW.called_at) - julianday(NEW.issued_at)) * 86400.0) AS INTEGER), 1
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
           CAST(ROUND((julianday(NEW.called_at) - julianday(NEW.issued_at)) * 86400.0) AS INTEGER), 1
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

-- What is already stored.
INSERT INTO case_rollup
SELECT site_id, local_day, COALESCE(route, ''), flags, categories, groups, COALESCE(outcome, ''),
       COUNT(*)
FROM case_facts GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO employer_rollup
SELECT site_id, local_day, employer_name, COALESCE(credit_code, ''), COUNT(*)
FROM case_facts GROUP BY 1, 2, 3, 4;
INSERT INTO wait_rollup
SELECT q.site_id, t.local_day,
       CAST(ROUND((julianday(t.called_at) - julianday(t.issued_at)) * 86400.0) AS INTEGER) AS w,
       COUNT(*)
FROM tickets t JOIN queues q ON q.id = t.queue_id
WHERE t.state = 'done' AND t.called_at IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO service_rollup
SELECT q.site_id, t.local_day, COALESCE(t.window_id, 0), COALESCE(t.staff_id, 0), COUNT(*),
       COALESCE(SUM(CAST(ROUND((julianday(t.finished_at) - julianday(t.started_at)) * 86400.0) AS INTEGER)), 0),
       SUM(t.started_at IS NOT NULL AND t.finished_at IS NOT NULL)
FROM tickets t JOIN queues q ON q.id = t.queue_id
WHERE t.state = 'done' GROUP BY 1, 2, 3, 4;
