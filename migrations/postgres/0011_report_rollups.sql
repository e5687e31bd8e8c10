-- Daily roll-ups for the report (issue 7): a month of a million cases must report in under two
-- seconds, and grouping a million rows per figure takes far longer. Triggers keep per-day counts
-- as cases are stored, finished and served; the report sums at most a few thousand rows a day.
-- Missing windows and staff are stored as 0 so that the upsert keys never hold NULL.

CREATE TABLE case_rollup (
    site_id     BIGINT NOT NULL,
    local_day   DATE NOT NULL,
    route       TEXT NOT NULL,
    flags       TEXT NOT NULL,
    categories  TEXT NOT NULL,
    groups      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (site_id, local_day, route, flags, categories, groups, outcome)
);

CREATE TABLE employer_rollup (
    site_id         BIGINT NOT NULL,
    local_day       DATE NOT NULL,
    employer_name   TEXT NOT NULL,
    credit_code     TEXT NOT NULL,
    n               BIGINT NOT NULL,
    PRIMARY KEY (site_id, local_day, employer_name, credit_code)
);

CREATE TABLE wait_rollup (
    site_id     BIGINT NOT NULL,
    local_day   DATE NOT NULL,
    wait_secs   BIGINT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (site_id, local_day, wait_secs)
);

CREATE TABLE service_rollup (
    site_id     BIGINT NOT NULL,
    local_day   DATE NOT NULL,
    window_id   BIGINT NOT NULL,
    staff_id    BIGINT NOT NULL,
    served      BIGINT NOT NULL,
    service_sum BIGINT NOT NULL,
    timed       BIGINT NOT NULL,
    PRIMARY KEY (site_id, local_day, window_id, staff_id)
);

CREATE FUNCTION case_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_rollup VALUES (NEW.site_id, NEW.local_day, COALESCE(NEW.route, ''),
        NEW.flags, NEW.categories, NEW.groups, COALESCE(NEW.outcome, ''), 1)
    ON CONFLICT (site_id, local_day, route, flags, categories, groups, outcome)
    DO UPDATE SET n = case_rollup.n + 1;
    INSERT INTO employer_rollup VALUES (NEW.site_id, NEW.local_day, NEW.employer_name,
        COALESCE(NEW.credit_code, ''), 1)
    ON CONFLICT (site_id, local_day, employer_name, credit_code)
    DO UPDATE SET n = employer_rollup.n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER case_rollup_insert AFTER INSERT ON case_facts
    FOR EACH ROW EXECUTE FUNCTION case_rollup_insert();

CREATE FUNCTION case_rollup_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE case_rollup SET n = n - 1
    WHERE site_id = OLD.site_id AND local_day = OLD.local_day AND route = COALESCE(OLD.route, '')
      AND flags = OLD.flags AND categories = OLD.categories AND groups = OLD.groups
      AND outcome = COALESCE(OLD.outcome, '');
    INSERT INTO case_rollup VALUES (NEW.site_id, NEW.local_day, COALESCE(NEW.route, ''),
        NEW.flags, NEW.categories, NEW.groups, COALESCE(NEW.outcome, ''), 1)
    ON CONFLICT (site_id, local_day, route, flags, categories, groups, outcome)
    DO UPDATE SET n = case_rollup.n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER case_rollup_outcome AFTER UPDATE OF outcome ON case_facts
    FOR EACH ROW WHEN (OLD.outcome IS DISTINCT FROM NEW.outcome)
    EXECUTE FUNCTION case_rollup_outcome();

CREATE FUNCTION service_rollup_done() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    site BIGINT;
BEGIN
    SELECT site_id INTO site FROM queues WHERE id = NEW.queue_id;
    IF NEW.called_at IS NOT NULL THEN
        INSERT INTO wait_rollup VALUES (site, NEW.local_day,
            CAST(ROUND(EXTRACT(EPOCH FROM (NEW.called_at - NEW.issued_at))) AS BIGINT), 1)
        ON CONFLICT (site_id, local_day, wait_secs) DO UPDATE SET n = wait_rollup.n + 1;
    END IF;
    INSERT INTO service_rollup VALUES (site, NEW.local_day, COALESCE(NEW.window_id, 0),
        COALESCE(NEW.staff_id, 0), 1,
        COALESCE(CAST(ROUND(EXTRACT(EPOCH FROM (NEW.finished_at - NEW.started_at))) AS BIGINT), 0),
        CASE WHEN NEW.started_at IS NOT NULL AND NEW.finished_at IS NOT NULL THEN 1 ELSE 0 END)
    ON CONFLICT (site_id, local_day, window_id, staff_id) DO UPDATE SET
        served = service_rollup.served + 1,
        service_sum = service_rollup.service_sum + EXCLUDED.service_sum,
        timed = service_rollup.timed + EXCLUDED.timed;
    RETURN NULL;
END $$;
CREATE TRIGGER service_rollup_update AFTER UPDATE OF state ON tickets
    FOR EACH ROW WHEN (NEW.state = 'done' AND OLD.state <> 'done')
    EXECUTE FUNCTION service_rollup_done();
CREATE TRIGGER service_rollup_insert AFTER INSERT ON tickets
    FOR EACH ROW WHEN (NEW.state = 'done')
    EXECUTE FUNCTION service_rollup_done();

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
       CAST(ROUND(EXTRACT(EPOCH FROM (t.called_at - t.issued_at))) AS BIGINT), COUNT(*)
FROM tickets t JOIN queues q ON q.id = t.queue_id
WHERE t.state = 'done' AND t.called_at IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO service_rollup
SELECT q.site_id, t.local_day, COALESCE(t.window_id, 0), COALESCE(t.staff_id, 0), COUNT(*),
       COALESCE(SUM(CAST(ROUND(EXTRACT(EPOCH FROM (t.finished_at - t.started_at))) AS BIGINT)), 0),
       COUNT(*) FILTER (WHERE t.started_at IS NOT NULL AND t.finished_at IS NOT NULL)
FROM tickets t JOIN queues q ON q.id = t.queue_id
WHERE t.state = 'done' GROUP BY 1, 2, 3, 4;
