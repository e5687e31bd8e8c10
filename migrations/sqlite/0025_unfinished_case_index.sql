-- The dashboard's deadline alerts read the unfinished cases of the last 30 days (issue 14): with a
-- month of a million cases nearly all finished, this index finds the few without reading the rest.
CREATE INDEX case_facts_unfinished ON case_facts (site_id, local_day) WHERE outcome IS NULL;

-- Sample cases (`seed`, for trying the report) are not emergencies: a seeded month raised an
-- alert for every sample MAJOR or COLLECTIVE case. The trigger of 0023 skips them now, and the
-- alerts they raised, never acknowledged, go.
DROP TRIGGER alerts_on_intake;
CREATE TRIGGER alerts_on_intake AFTER INSERT ON cases
WHEN NOT NEW.sample
BEGIN
    INSERT INTO alerts (site_id, kind, subject, label, case_id, raised_at)
    SELECT NEW.site_id, k.kind, NEW.case_no, NEW.case_no, NEW.id, NEW.created_at
    FROM (SELECT 'MAJOR' AS kind UNION ALL SELECT 'ESCALATING' UNION ALL SELECT 'CHILD_LABOR'
          UNION ALL SELECT 'COLLECTIVE') k
    WHERE instr(NEW.flags, '"' || k.kind || '"') > 0
    ON CONFLICT DO NOTHING;
END;
DELETE FROM alerts WHERE acknowledged_at IS NULL
    AND case_id IN (SELECT id FROM cases WHERE sample);
