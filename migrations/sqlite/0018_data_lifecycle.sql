-- Data lifecycle (issue 13).
--
-- `anonymised_at`: when `db purge` removed the personal fields of a case past the retention
-- period. The case keeps its number, route, flags, dates and statistics; purge skips it after.
ALTER TABLE cases ADD COLUMN anonymised_at TEXT;

-- `sample`: a case made by `seed` for trying the report. `seed` refuses a database holding any
-- other case, so sample data never mixes with a live centre's. Earlier seeds numbered their cases
-- SEED-….
ALTER TABLE cases ADD COLUMN sample INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET sample = 1 WHERE case_no LIKE 'SEED-%';

-- Purge looks for cases not yet anonymised.
CREATE INDEX cases_not_anonymised ON cases (id) WHERE anonymised_at IS NULL;
