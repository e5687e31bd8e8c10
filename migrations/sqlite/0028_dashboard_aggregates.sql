-- The dashboard at scale (issue 14): with a million cases in the month it must not read the
-- month's case records on every reload.
--
-- Deadlines: the two dates the dashboard warns about, copied from each case's decision when the
-- case is stored and dropped when it gets an outcome, so the deadline alerts read the unfinished
-- cases whose date is near through an index instead of parsing the decision of every unfinished
-- case of the last 30 days. A case with neither date has no row.
CREATE TABLE case_deadlines (
    case_id             INTEGER PRIMARY KEY REFERENCES cases(id),
    site_id             INTEGER NOT NULL,
    local_day           TEXT NOT NULL,
    route               TEXT,
    mediation_ends      TEXT,
    limitation_expires  TEXT
);
CREATE INDEX case_deadlines_mediation ON case_deadlines (site_id, mediation_ends)
    WHERE mediation_ends IS NOT NULL;
CREATE INDEX case_deadlines_limitation ON case_deadlines (site_id, limitation_expires)
    WHERE limitation_expires IS NOT NULL;

CREATE TRIGGER case_deadlines_on_intake AFTER INSERT ON cases
WHEN json_extract(NEW.decision, '$.deadlines.mediation_period_ends') IS NOT NULL
  OR json_extract(NEW.decision, '$.deadlines.limitation_expires') IS NOT NULL
BEGIN
    INSERT INTO case_deadlines (case_id, site_id, local_day, route, mediation_ends,
                                limitation_expires)
    VALUES (NEW.id, NEW.site_id, NEW.local_day, NEW.route,
            json_extract(NEW.decision, '$.deadlines.mediation_period_ends'),
            json_extract(NEW.decision, '$.deadlines.limitation_expires'));
END;

CREATE TRIGGER case_deadlines_on_outcome AFTER UPDATE OF outcome ON case_facts
WHEN NEW.outcome IS NOT NULL
BEGIN
    DELETE FROM case_deadlines WHERE case_id = NEW.case_id;
END;

INSERT INTO case_deadlines (case_id, site_id, local_day, route, mediation_ends, limitation_expires)
SELECT c.id, c.site_id, c.local_day, c.route,
       json_extract(c.decision, '$.deadlines.mediation_period_ends'),
       json_extract(c.decision, '$.deadlines.limitation_expires')
FROM cases c JOIN case_facts f ON f.case_id = c.id
WHERE f.outcome IS NULL
  AND (json_extract(c.decision, '$.deadlines.mediation_period_ends') IS NOT NULL
       OR json_extract(c.decision, '$.deadlines.limitation_expires') IS NOT NULL);

-- Repeat employers: each employer name written in a case with the key it is counted under
-- (`domain::employer::normalize_name`, computed by the application: intake and seed write it,
-- and the dashboard adds any name it finds without one), so the employers with enough cases are
-- found by one grouped query and the cases registered since the last check are looked at alone.
CREATE TABLE employer_names (
    site_id         INTEGER NOT NULL,
    employer_name   TEXT NOT NULL,
    employer_norm   TEXT NOT NULL,
    PRIMARY KEY (site_id, employer_name)
);
CREATE INDEX employer_names_norm ON employer_names (site_id, employer_norm);
CREATE INDEX employer_rollup_name ON employer_rollup (site_id, employer_name, local_day);
CREATE INDEX employer_rollup_code ON employer_rollup (site_id, credit_code, local_day)
    WHERE credit_code <> '';

-- The last case whose employer was checked for a repeat-employer warning, and the site's last
-- case, found from the end of this index.
CREATE INDEX case_facts_site_case ON case_facts (site_id, case_id);
CREATE TABLE employer_alert_watch (
    site_id     INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL
);

-- Follow-ups due (the dashboard's count): unfinished referrals are found here; mediated and
-- referred cases through case_facts_followup (0010). The filing index of 0027 covers these
-- columns too, and SQLite preferred reading all of it.
CREATE INDEX case_facts_route_outcome ON case_facts (site_id, route, outcome);
