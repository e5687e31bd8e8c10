-- Confirmed printing (issue 15).
--
-- A job the printer took but did not confirm (no status answer after its last byte, the
-- connection closed, paper out right after it) is `unconfirmed`: the clerk says whether it came
-- out; it is never retried on its own (it would print twice) nor marked printed (it may not have).
-- SQLite cannot change a CHECK constraint, so the table is rebuilt (SQLite's documented
-- procedure: new table, copy, drop, rename); `claims` counts how often a runner took the job, so
-- a job whose lease keeps running out (a runner that dies on it) stops instead of being taken
-- again without end.
-- A reprint names its original (`reprint_of`). Dropping the old table with the copy already
-- naming rows in it would break those references (and `foreign_keys = OFF` has no effect inside
-- the migration's transaction), so the copy is made without them and they are set again once the
-- new table has the old name.
CREATE TEMP TABLE reprints_0021 AS
    SELECT id, reprint_of FROM print_jobs WHERE reprint_of IS NOT NULL;
CREATE TABLE print_jobs_new (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER REFERENCES cases(id),
    ticket_id       INTEGER REFERENCES tickets(id),
    kind            TEXT NOT NULL CHECK (kind IN ('ticket', 'receipt', 'referral')),
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL
                    CHECK (state IN ('pending', 'printing', 'printed', 'failed', 'unconfirmed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    created_at      TEXT NOT NULL,
    printed_at      TEXT,
    reprint_of      INTEGER REFERENCES print_jobs(id),
    window_id       INTEGER REFERENCES windows(id),
    claims          INTEGER NOT NULL DEFAULT 0
);
INSERT INTO print_jobs_new (id, case_id, ticket_id, kind, payload, state, attempts, last_error,
    next_attempt_at, lease_until, created_at, printed_at, reprint_of, window_id, claims)
SELECT id, case_id, ticket_id, kind, payload, state, attempts, last_error, next_attempt_at,
    lease_until, created_at, printed_at, NULL, window_id, attempts
FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;
UPDATE print_jobs SET reprint_of = (SELECT r.reprint_of FROM reprints_0021 r WHERE r.id = print_jobs.id)
WHERE id IN (SELECT id FROM reprints_0021);
DROP TABLE reprints_0021;
CREATE INDEX print_jobs_due ON print_jobs (state, next_attempt_at);
CREATE INDEX print_jobs_case ON print_jobs (case_id);
CREATE INDEX print_jobs_window ON print_jobs (window_id, state);

-- Every attempt at a job and what came of it, so `print jobs` shows the history and a retry
-- keeps the real error instead of replacing it.
CREATE TABLE print_job_attempts (
    id          INTEGER PRIMARY KEY,
    job_id      INTEGER NOT NULL REFERENCES print_jobs(id),
    at          TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    error       TEXT,
    bytes       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX print_job_attempts_job ON print_job_attempts (job_id, id);
