-- The dashboard's deadline alerts read the unfinished cases of the last 30 days (issue 14): with a
-- month of a million cases nearly all finished, this index finds the few without reading the rest.
CREATE INDEX case_facts_unfinished ON case_facts (site_id, local_day) WHERE outcome IS NULL;
