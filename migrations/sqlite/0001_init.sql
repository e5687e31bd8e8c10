-- onewindow storage, SQLite dialect. Append-only: never edit a migration that has landed.
-- Times are RFC 3339 UTC text (sqlx's encoding of DateTime<Utc>); local days are YYYY-MM-DD text
-- in Asia/Shanghai. JSON columns are text.

CREATE TABLE sites (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL DEFAULT ''
);

-- One queue per route that has a ticket prefix at the site.
CREATE TABLE queues (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    route       TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    UNIQUE (site_id, route),
    UNIQUE (site_id, prefix)
);

CREATE TABLE windows (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    number      INTEGER NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    UNIQUE (site_id, number)
);

CREATE TABLE window_queues (
    window_id   INTEGER NOT NULL REFERENCES windows(id) ON DELETE CASCADE,
    queue_id    INTEGER NOT NULL REFERENCES queues(id),
    PRIMARY KEY (window_id, queue_id)
);

CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
    pin_hash    TEXT,
    active      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (site_id, code)
);

-- Running numbers: scope 'case:<site id>' or 'queue:<queue id>', per local day.
CREATE TABLE counters (
    scope       TEXT NOT NULL,
    day         TEXT NOT NULL,
    value       INTEGER NOT NULL,
    PRIMARY KEY (scope, day)
);

CREATE TABLE cases (
    id                      INTEGER PRIMARY KEY,
    case_no                 TEXT NOT NULL UNIQUE,
    site_id                 INTEGER NOT NULL REFERENCES sites(id),
    local_day               TEXT NOT NULL,
    seq                     INTEGER NOT NULL,
    route                   TEXT,
    referral_to             TEXT,
    flags                   TEXT NOT NULL,
    priority                INTEGER NOT NULL,
    applicant_name          TEXT NOT NULL,
    applicant_id_masked     TEXT NOT NULL,
    applicant_phone_masked  TEXT NOT NULL,
    counterparty_name       TEXT NOT NULL,
    record                  TEXT NOT NULL,
    decision                TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    created_by              INTEGER REFERENCES staff(id),
    window_id               INTEGER REFERENCES windows(id),
    UNIQUE (site_id, local_day, seq)
);
CREATE INDEX cases_day ON cases (site_id, local_day);

CREATE TABLE tickets (
    id                  INTEGER PRIMARY KEY,
    ticket_no           TEXT NOT NULL,
    queue_id            INTEGER NOT NULL REFERENCES queues(id),
    local_day           TEXT NOT NULL,
    seq                 INTEGER NOT NULL,
    case_id             INTEGER REFERENCES cases(id),
    state               TEXT NOT NULL CHECK (state IN
                          ('waiting', 'called', 'serving', 'done', 'no_show', 'transferred')),
    priority            INTEGER NOT NULL,
    issued_at           TEXT NOT NULL,
    original_issued_at  TEXT NOT NULL,
    transferred_from    INTEGER REFERENCES tickets(id),
    transfer_reason     TEXT,
    window_id           INTEGER REFERENCES windows(id),
    staff_id            INTEGER REFERENCES staff(id),
    called_at           TEXT,
    recalls             INTEGER NOT NULL DEFAULT 0,
    started_at          TEXT,
    finished_at         TEXT,
    outcome             TEXT,
    UNIQUE (queue_id, local_day, seq)
);
CREATE INDEX tickets_waiting ON tickets (state, local_day, queue_id, priority, original_issued_at);
CREATE INDEX tickets_case ON tickets (case_id);

CREATE TABLE print_jobs (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER REFERENCES cases(id),
    ticket_id       INTEGER REFERENCES tickets(id),
    kind            TEXT NOT NULL CHECK (kind IN ('ticket', 'receipt', 'referral')),
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'printing', 'printed', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    created_at      TEXT NOT NULL,
    printed_at      TEXT,
    reprint_of      INTEGER REFERENCES print_jobs(id)
);
CREATE INDEX print_jobs_due ON print_jobs (state, next_attempt_at);
CREATE INDEX print_jobs_case ON print_jobs (case_id);

-- Who did what to which case or ticket. Append-only, enforced below.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    staff_id    INTEGER,
    window_id   INTEGER,
    action      TEXT NOT NULL,
    case_id     INTEGER,
    ticket_id   INTEGER,
    details     TEXT NOT NULL
);
CREATE INDEX audit_case ON audit_log (case_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The change version counter: every write appends one row in its own transaction, so a
-- subscriber only reads rows with an id above the last one it saw.
CREATE TABLE changes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    kind            TEXT NOT NULL,
    queue_id        INTEGER,
    ticket_id       INTEGER,
    case_id         INTEGER,
    print_job_id    INTEGER
);
