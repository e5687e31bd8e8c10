-- The dashboard at scale (issue 14): with a million cases in the month it must not read the
-- month's case records on every reload.
--
-- Deadlines: the two dates the dashboard warns about, copied from each case's decision when the
-- case is stored and dropped when it gets an outcome (statement triggers, as in 0012, so a bulk
-- seed is a few set operations), so the deadline alerts read the unfinished cases whose date is
-- near through an index instead of parsing the decision of every unfinished case of the last 30
-- days. A case with neither date has no row.
CREATE TABLE case_deadlines (
    case_id             BIGINT PRIMARY KEY REFERENCES cases(id),
    site_id             BIGINT NOT NULL,
    local_day           DATE NOT NULL,
    route               TEXT,
    mediation_ends      DATE,
    limitation_expires  DATE
);
CREATE INDEX case_deadlines_mediation ON case_deadlines (site_id, mediation_ends)
    WHERE mediation_ends IS NOT NULL;
CREATE INDEX case_deadlines_limitation ON case_deadlines (site_id, limitation_expires)
    WHERE limitation_expires IS NOT NULL;

CREATE FUNCTION case_deadlines_of_new_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
        INSERT INTO case_deadlines (case_id, site_id, local_day, route, mediation_ends,
                                    limitation_expires)
        SELECT id, site_id, local_day, route,
               (decision -> 'deadlines' ->> 'mediation_period_ends')::date,
               (decision -> 'deadlines' ->> 'limitation_expires')::date
        FROM new_cases
        WHERE decision -> 'deadlines' ? 'mediation_period_ends'
           OR decision -> 'deadlines' ? 'limitation_expires'
    $q$;
    RETURN NULL;
END $$;
CREATE TRIGGER case_deadlines_of_new_cases AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION case_deadlines_of_new_cases();

CREATE FUNCTION case_deadlines_of_finished_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
        DELETE FROM case_deadlines d USING new_facts f
        WHERE d.case_id = f.case_id AND f.outcome IS NOT NULL
    $q$;
    RETURN NULL;
END $$;
CREATE TRIGGER case_deadlines_of_finished_facts AFTER UPDATE ON case_facts
    REFERENCING NEW TABLE AS new_facts
    FOR EACH STATEMENT EXECUTE FUNCTION case_deadlines_of_finished_facts();

INSERT INTO case_deadlines (case_id, site_id, local_day, route, mediation_ends, limitation_expires)
SELECT c.id, c.site_id, c.local_day, c.route,
       (c.decision -> 'deadlines' ->> 'mediation_period_ends')::date,
       (c.decision -> 'deadlines' ->> 'limitation_expires')::date
FROM cases c JOIN case_facts f ON f.case_id = c.id
WHERE f.outcome IS NULL
  AND (c.decision -> 'deadlines' ? 'mediation_period_ends'
       OR c.decision -> 'deadlines' ? 'limitation_expires');

-- Repeat employers: each employer name written in a case with the key it is counted under
-- (`domain::employer::normalize_name`, computed by the application: intake and seed write it,
-- and the dashboard adds any name it finds without one), so the employers with enough cases are
-- found by one grouped query and the cases registered since the last check are looked at alone.
CREATE TABLE employer_names (
    site_id         BIGINT NOT NULL,
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
    site_id     BIGINT PRIMARY KEY,
    case_id     BIGINT NOT NULL
);

-- Follow-ups due (the dashboard's count): unfinished referrals are found here; mediated and
-- referred cases through case_facts_followup (0010). The filing index of 0027 covers these
-- columns too, and SQLite preferred reading all of it.
CREATE INDEX case_facts_route_outcome ON case_facts (site_id, route, outcome);
