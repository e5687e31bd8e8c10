-- Structured follow-up results (issue 14): how the call went (`reached`, `unreachable`,
-- `declined`), whether the worker was satisfied (only when reached), and the free note, which
-- stays in `result`. Rows written before have no `contact` and count as a call that ended the
-- follow-up, as they did.
ALTER TABLE followups ADD COLUMN contact TEXT
    CHECK (contact IS NULL OR contact IN ('reached', 'unreachable', 'declined'));
ALTER TABLE followups ADD COLUMN satisfied INTEGER;
-- One closing record per case, even from two screens at once; unreachable calls may repeat.
CREATE UNIQUE INDEX followups_closed ON followups (case_id)
    WHERE contact IS NOT NULL AND contact <> 'unreachable';
