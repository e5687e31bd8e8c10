-- Alerts as records (issue 14). A MAJOR, ESCALATING, CHILD_LABOR or COLLECTIVE case raised an
-- alert only while it was unfinished: a major case served in ten minutes left no trace that no
-- supervisor saw it. Now the alert is a row written with the case, by a trigger, so every process
-- that stores a case raises it exactly once; it stays until a supervisor acknowledges it with a
-- note, whatever happens to the case. Repeat-employer warnings are rows too, raised by the
-- dashboard (the unique index makes a second raise a no-op) and raised again by the next new case
-- against that employer after an acknowledgement (`seen_day`, `seen_count`).
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    kind            TEXT NOT NULL,
    -- The case number, or the employer key ("code:…" / "name:…").
    subject         TEXT NOT NULL,
    -- What the screen shows: the case number or the employer's name.
    label           TEXT NOT NULL,
    case_id         INTEGER REFERENCES cases(id),
    raised_at       TEXT NOT NULL,
    figure          INTEGER NOT NULL DEFAULT 0,
    acknowledged_at TEXT,
    acknowledged_by INTEGER REFERENCES staff(id),
    note            TEXT,
    -- Repeat employers: the local day of the acknowledgement and the employer's cases counted
    -- from that day on when it was made; a larger count later means a new case.
    seen_day        TEXT,
    seen_count      INTEGER
);
CREATE UNIQUE INDEX alerts_open ON alerts (site_id, kind, subject) WHERE acknowledged_at IS NULL;
CREATE UNIQUE INDEX alerts_of_case ON alerts (case_id, kind) WHERE case_id IS NOT NULL;
CREATE INDEX alerts_history ON alerts (site_id, acknowledged_at);

CREATE TRIGGER alerts_on_intake AFTER INSERT ON cases
BEGIN
    INSERT INTO alerts (site_id, kind, subject, label, case_id, raised_at)
    SELECT NEW.site_id, k.kind, NEW.case_no, NEW.case_no, NEW.id, NEW.created_at
    FROM (SELECT 'MAJOR' AS kind UNION ALL SELECT 'ESCALATING' UNION ALL SELECT 'CHILD_LABOR'
          UNION ALL SELECT 'COLLECTIVE') k
    WHERE instr(NEW.flags, '"' || k.kind || '"') > 0
    ON CONFLICT DO NOTHING;
END;

-- Flagged cases of the last 30 days not yet finished become open alerts, unless acknowledged
-- before (the audit log's alert_acknowledged entries carry the case number as their key).
INSERT INTO alerts (site_id, kind, subject, label, case_id, raised_at)
SELECT c.site_id, k.kind, c.case_no, c.case_no, c.id, c.created_at
FROM cases c
JOIN (SELECT 'MAJOR' AS kind UNION ALL SELECT 'ESCALATING' UNION ALL SELECT 'CHILD_LABOR'
      UNION ALL SELECT 'COLLECTIVE') k ON instr(c.flags, '"' || k.kind || '"') > 0
JOIN case_facts f ON f.case_id = c.id
WHERE f.outcome IS NULL AND julianday(c.created_at) > julianday('now') - 30
  AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'alert_acknowledged'
                  AND json_extract(a.details, '$.key') = c.case_no);

-- Repeat employers count only counterparties that employ: a social insurance agency, an appraisal
-- committee or an occupational-disease body is not an employer. The kind is kept with the facts
-- and the employer roll-up is rebuilt without the others.
ALTER TABLE case_facts ADD COLUMN counterparty_kind TEXT;
UPDATE case_facts SET counterparty_kind =
    (SELECT json_extract(c.record, '$.counterparty.kind') FROM cases c WHERE c.id = case_facts.case_id);

DROP TRIGGER case_facts_on_intake;
CREATE TRIGGER case_facts_on_intake AFTER INSERT ON cases
BEGIN
    INSERT INTO case_facts (case_id, site_id, local_day, route, flags, categories, groups,
                            employer_name, credit_code, counterparty_kind)
    VALUES (NEW.id, NEW.site_id, NEW.local_day, NEW.route, NEW.flags,
            COALESCE(json_extract(NEW.record, '$.dispute.categories'), '[]'),
            COALESCE(json_extract(NEW.record, '$.applicant.groups'), '[]'),
            NEW.counterparty_name,
            json_extract(NEW.record, '$.counterparty.credit_code'),
            json_extract(NEW.record, '$.counterparty.kind'));
END;

DROP TRIGGER case_rollup_insert;
CREATE TRIGGER case_rollup_insert AFTER INSERT ON case_facts
BEGIN
    INSERT INTO case_rollup VALUES (NEW.site_id, NEW.local_day, COALESCE(NEW.route, ''),
        NEW.flags, NEW.categories, NEW.groups, COALESCE(NEW.outcome, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO employer_rollup
    SELECT NEW.site_id, NEW.local_day, NEW.employer_name, COALESCE(NEW.credit_code, ''), 1
    WHERE COALESCE(NEW.counterparty_kind, 'employer')
          IN ('employer', 'household', 'craftsman', 'rural_contractor')
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

DELETE FROM employer_rollup;
INSERT INTO employer_rollup
SELECT site_id, local_day, employer_name, COALESCE(credit_code, ''), COUNT(*)
FROM case_facts
WHERE COALESCE(counterparty_kind, 'employer')
      IN ('employer', 'household', 'craftsman', 'rural_contractor')
GROUP BY 1, 2, 3, 4;
