-- Report and follow-up facts (issue 7). The intake commit stores the whole record as JSONB; the
-- monthly report over a million cases cannot afford to read it, so the few fields the figures
-- group by are copied here by triggers when a case is stored and when its ticket is finished.
-- Arrays are kept as JSON text: a month has few distinct combinations, grouped in SQL and decoded
-- once.

CREATE TABLE case_facts (
    case_id         BIGINT PRIMARY KEY REFERENCES cases(id),
    site_id         BIGINT NOT NULL,
    local_day       DATE NOT NULL,
    route           TEXT,
    flags           TEXT NOT NULL,
    categories      TEXT NOT NULL,
    groups          TEXT NOT NULL,
    employer_name   TEXT NOT NULL,
    credit_code     TEXT,
    outcome         TEXT,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX case_facts_day ON case_facts (site_id, local_day);
CREATE INDEX case_facts_followup ON case_facts (site_id, finished_at)
    WHERE outcome IN ('mediated', 'referred');

CREATE FUNCTION case_facts_on_intake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_facts (case_id, site_id, local_day, route, flags, categories, groups,
                            employer_name, credit_code)
    VALUES (NEW.id, NEW.site_id, NEW.local_day, NEW.route, NEW.flags::text,
            COALESCE((NEW.record -> 'dispute' -> 'categories')::text, '[]'),
            COALESCE((NEW.record -> 'applicant' -> 'groups')::text, '[]'),
            NEW.counterparty_name,
            NEW.record -> 'counterparty' ->> 'credit_code');
    RETURN NULL;
END $$;
CREATE TRIGGER case_facts_on_intake AFTER INSERT ON cases
    FOR EACH ROW EXECUTE FUNCTION case_facts_on_intake();

-- A case's outcome is that of its latest finished ticket.
CREATE FUNCTION case_facts_on_finish() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE case_facts SET outcome = NEW.outcome, finished_at = NEW.finished_at
    WHERE case_id = NEW.case_id;
    RETURN NULL;
END $$;
CREATE TRIGGER case_facts_on_finish AFTER INSERT OR UPDATE OF outcome ON tickets
    FOR EACH ROW WHEN (NEW.outcome IS NOT NULL AND NEW.case_id IS NOT NULL)
    EXECUTE FUNCTION case_facts_on_finish();

INSERT INTO case_facts (case_id, site_id, local_day, route, flags, categories, groups,
                        employer_name, credit_code)
SELECT id, site_id, local_day, route, flags::text,
       COALESCE((record -> 'dispute' -> 'categories')::text, '[]'),
       COALESCE((record -> 'applicant' -> 'groups')::text, '[]'),
       counterparty_name, record -> 'counterparty' ->> 'credit_code'
FROM cases;
UPDATE case_facts f SET outcome = t.outcome, finished_at = t.finished_at
FROM (SELECT DISTINCT ON (case_id) case_id, outcome, finished_at FROM tickets
      WHERE outcome IS NOT NULL AND case_id IS NOT NULL
      ORDER BY case_id, finished_at DESC) t
WHERE t.case_id = f.case_id;

-- Served tickets of a period, for waits and workload.
CREATE INDEX tickets_done_day ON tickets (local_day) WHERE state = 'done';

-- Follow-up calls (回访) after a case ended mediated or referred. Append-only like the audit log.
CREATE TABLE followups (
    id          BIGSERIAL PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    at          TIMESTAMPTZ NOT NULL,
    staff_id    BIGINT REFERENCES staff(id),
    result      TEXT NOT NULL
);
CREATE INDEX followups_case ON followups (case_id);
