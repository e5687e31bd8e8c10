-- Confirmed printing (issue 15).
--
-- A job the printer took but did not confirm (no status answer after its last byte, the
-- connection closed, paper out right after it) is `unconfirmed`: the clerk says whether it came
-- out; it is never retried on its own (it would print twice) nor marked printed (it may not have).
-- `claims` counts how often a runner took the job, so a job whose lease keeps running out (a
-- runner that dies on it) stops instead of being taken again without end.
ALTER TABLE print_jobs DROP CONSTRAINT print_jobs_state_check;
ALTER TABLE print_jobs ADD CONSTRAINT print_jobs_state_check
    CHECK (state IN ('pending', 'printing', 'printed', 'failed', 'unconfirmed'));
ALTER TABLE print_jobs ADD COLUMN claims BIGINT NOT NULL DEFAULT 0;
UPDATE print_jobs SET claims = attempts;

-- Every attempt at a job and what came of it, so `print jobs` shows the history and a retry
-- keeps the real error instead of replacing it.
CREATE TABLE print_job_attempts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      BIGINT NOT NULL REFERENCES print_jobs(id),
    at          TIMESTAMPTZ NOT NULL,
    outcome     TEXT NOT NULL,
    error       TEXT,
    bytes       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX print_job_attempts_job ON print_job_attempts (job_id, id);
