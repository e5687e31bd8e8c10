-- The dashboard's deadline alerts read the unfinished cases of the last 30 days (issue 14): with a
-- month of a million cases nearly all finished, this index finds the few without reading the rest.
CREATE INDEX case_facts_unfinished ON case_facts (site_id, local_day) WHERE outcome IS NULL;

-- Sample cases (`seed`, for trying the report) are not emergencies: a seeded month raised an
-- alert for every sample MAJOR or COLLECTIVE case. The trigger function of 0023 skips them now,
-- and the alerts they raised, never acknowledged, go.
CREATE OR REPLACE FUNCTION alerts_of_new_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $q$
        INSERT INTO alerts (site_id, kind, subject, label, case_id, raised_at)
        SELECT c.site_id, k.kind, c.case_no, c.case_no, c.id, c.created_at
        FROM new_cases c
        JOIN (VALUES ('MAJOR'), ('ESCALATING'), ('CHILD_LABOR'), ('COLLECTIVE')) AS k(kind)
          ON c.flags ? k.kind
        WHERE NOT c.sample
        ON CONFLICT DO NOTHING
    $q$;
    RETURN NULL;
END $$;
DELETE FROM alerts WHERE acknowledged_at IS NULL
    AND case_id IN (SELECT id FROM cases WHERE sample);
