-- Report and follow-up facts (issue 7). The intake commit stores the whole record as JSON; the
-- monthly report over a million cases cannot afford to parse it, so the few fields the figures
-- group by are copied here by triggers when a case is stored and when its ticket is finished.
-- Arrays stay as JSON text: a month has few distinct combinations, grouped in SQL and decoded once.

CREATE TABLE case_facts (
    case_id         INTEGER PRIMARY KEY REFERENCES cases(id),
    site_id         INTEGER NOT NULL,
    local_day       TEXT NOT NULL,
    route           TEXT,
    flags           TEXT NOT NULL,
    categories      TEXT NOT NULL,
    groups          TEXT NOT NULL,
    employer_name   TEXT NOT NULL,
    credit_code     TEXT,
    outcome         TEXT,
    finished_at     TEXT
);
CREATE INDEX case_facts_day ON case_facts (site_id, local_day);
CREATE INDEX case_facts_followup ON case_facts (site_id, finished_at)
    WHERE outcome IN ('mediated', 'referred');

CREATE TRIGGER case_facts_on_intake AFTER INSERT ON cases
BEGIN
    INSERT INTO case_facts (case_id, site_id, local_day, route, flags, categories, groups,
                            employer_name, credit_code)
    VALUES (NEW.id, NEW.site_id, NEW.local_day, NEW.route, NEW.flags,
            COALESCE(json_extract(NEW.record, '$.dispute.categories'), '[]'),
            COALESCE(json_extract(NEW.record, '$.applicant.groups'), '[]'),
            NEW.counterparty_name,
            json_extract(NEW.record, '$.counterparty.credit_code'));
END;

-- A case's outcome is that of its latest finished ticket.
CREATE TRIGGER case_facts_on_finish AFTER UPDATE OF outcome ON tickets
WHEN NEW.outcome IS NOT NULL AND NEW.case_id IS NOT NULL
BEGIN
    UPDATE case_facts SET outcome = NEW.outcome, finished_at = NEW.finished_at
    WHERE case_id = NEW.case_id;
END;
CREATE TRIGGER case_facts_on_finished_insert AFTER INSERT ON tickets
WHEN NEW.outcome IS NOT NULL AND NEW.case_id IS NOT NULL
BEGIN
    UPDATE case_facts SET outcome = NEW.outcome, finished_at = NEW.finished_at
    WHERE case_id = NEW.case_id;
END;

INSERT INTO case_facts (case_id, site_id, local_day, route, flags, categories, groups,
                        employer_name, credit_code)
SELECT id, site_id, local_day, route, flags,
       COALESCE(json_extract(record, '$.dispute.categories'), '[]'),
       COALESCE(json_extract(record, '$.applicant.groups'), '[]'),
       counterparty_name, json_extract(record, '$.counterparty.credit_code')
FROM cases;
UPDATE case_facts SET
    outcome = (SELECT t.outcome FROM tickets t WHERE t.case_id = case_facts.case_id
               AND t.outcome IS NOT NULL ORDER BY t.finished_at DESC LIMIT 1),
    finished_at = (SELECT t.finished_at FROM tickets t WHERE t.case_id = case_facts.case_id
               AND t.outcome IS NOT NULL ORDER BY t.finished_at DESC LIMIT 1);

-- Served tickets of a period, for waits and workload.
CREATE INDEX tickets_done_day ON tickets (local_day) WHERE state = 'done';

-- Follow-up calls (回访) after a case ended mediated or referred. Append-only like the audit log.
CREATE TABLE followups (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    at          TEXT NOT NULL,
    staff_id    INTEGER REFERENCES staff(id),
    result      TEXT NOT NULL
);
CREATE INDEX followups_case ON followups (case_id);
