-- Alerts as records (issue 14). A MAJOR, ESCALATING, CHILD_LABOR or COLLECTIVE case raised an
-- alert only while it was unfinished: a major case served in ten minutes left no trace that no
-- supervisor saw it. Now the alert is a row written with the case, by a trigger, so every process
-- that stores a case raises it exactly once; it stays until a supervisor acknowledges it with a
-- note, whatever happens to the case. Repeat-employer warnings are rows too, raised by the
-- dashboard (the unique index makes a second raise a no-op) and raised again by the next new case
-- against that employer after an acknowledgement (`seen_day`, `seen_count`).
CREATE TABLE alerts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id         BIGINT NOT NULL REFERENCES sites(id),
    kind            TEXT NOT NULL,
    -- The case number, or the employer key ("code:…" / "name:…").
    subject         TEXT NOT NULL,
    -- What the screen shows: the case number or the employer's name.
    label           TEXT NOT NULL,
    case_id         BIGINT REFERENCES cases(id),
    raised_at       TIMESTAMPTZ NOT NULL,
    figure          BIGINT NOT NULL DEFAULT 0,
    acknowledged_at TIMESTAMPTZ,
    acknowledged_by BIGINT REFERENCES staff(id),
    note            TEXT,
    -- Repeat employers: the local day of the acknowledgement and the employer's cases counted
    -- from that day on when it was made; a larger count later means a new case.
    seen_day        DATE,
    seen_count      BIGINT
);
CREATE UNIQUE INDEX alerts_open ON alerts (site_id, kind, subject) WHERE acknowledged_at IS NULL;
CREATE UNIQUE INDEX alerts_of_case ON alerts (case_id, kind) WHERE case_id IS NOT NULL;
CREATE INDEX alerts_history ON alerts (site_id, acknowledged_at);

CREATE FUNCTION alerts_of_new_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
        INSERT INTO alerts (site_id, kind, subject, label, case_id, raised_at)
        SELECT c.site_id, k.kind, c.case_no, c.case_no, c.id, c.created_at
        FROM new_cases c
        JOIN (VALUES ('MAJOR'), ('ESCALATING'), ('CHILD_LABOR'), ('COLLECTIVE')) AS k(kind)
          ON c.flags ? k.kind
        ON CONFLICT DO NOTHING
    $q$;
    RETURN NULL;
END $$;
CREATE TRIGGER alerts_of_new_cases AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION alerts_of_new_cases();

-- Flagged cases of the last 30 days not yet finished become open alerts, unless acknowledged
-- before (the audit log's alert_acknowledged entries carry the case number as their key).
INSERT INTO alerts (site_id, kind, subject, label, case_id, raised_at)
SELECT c.site_id, k.kind, c.case_no, c.case_no, c.id, c.created_at
FROM cases c
JOIN (VALUES ('MAJOR'), ('ESCALATING'), ('CHILD_LABOR'), ('COLLECTIVE')) AS k(kind)
  ON c.flags ? k.kind
JOIN case_facts f ON f.case_id = c.id
WHERE f.outcome IS NULL AND c.created_at > now() - INTERVAL '30 days'
  AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'alert_acknowledged'
                  AND a.details ->> 'key' = c.case_no);

-- Repeat employers count only counterparties that employ: a social insurance agency, an appraisal
-- committee or an occupational-disease body is not an employer. The kind is kept with the facts
-- and the employer roll-up is rebuilt without the others.
ALTER TABLE case_facts ADD COLUMN counterparty_kind TEXT;
UPDATE case_facts f SET counterparty_kind = c.record -> 'counterparty' ->> 'kind'
FROM cases c WHERE c.id = f.case_id;

CREATE OR REPLACE FUNCTION case_facts_of_new_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
        INSERT INTO case_facts (case_id, site_id, local_day, route, flags, categories, groups,
                                employer_name, credit_code, counterparty_kind)
        SELECT id, site_id, local_day, route, flags::text,
               COALESCE((record -> 'dispute' -> 'categories')::text, '[]'),
               COALESCE((record -> 'applicant' -> 'groups')::text, '[]'),
               counterparty_name, record -> 'counterparty' ->> 'credit_code',
               record -> 'counterparty' ->> 'kind'
        FROM new_cases
    $q$;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION case_rollup_of_new_facts() RETURNS trigger LANGUAGE plpgsql AS $$
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
        FROM new_facts
        WHERE COALESCE(counterparty_kind, 'employer')
              IN ('employer', 'household', 'craftsman', 'rural_contractor')
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (site_id, local_day, employer_name, credit_code)
        DO UPDATE SET n = r.n + EXCLUDED.n
    $q$;
    RETURN NULL;
END $$;

DELETE FROM employer_rollup;
INSERT INTO employer_rollup
SELECT site_id, local_day, employer_name, COALESCE(credit_code, ''), COUNT(*)
FROM case_facts
WHERE COALESCE(counterparty_kind, 'employer')
      IN ('employer', 'household', 'craftsman', 'rural_contractor')
GROUP BY 1, 2, 3, 4;
