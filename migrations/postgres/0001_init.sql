-- onewindow storage, PostgreSQL dialect. Append-only: never edit a migration that has landed.
-- Times are timestamptz; local days are dates in Asia/Shanghai.

CREATE TABLE sites (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL DEFAULT ''
);

-- One queue per route that has a ticket prefix at the site.
CREATE TABLE queues (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id     BIGINT NOT NULL REFERENCES sites(id),
    route       TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    UNIQUE (site_id, route),
    UNIQUE (site_id, prefix)
);

CREATE TABLE windows (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id     BIGINT NOT NULL REFERENCES sites(id),
    number      BIGINT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    UNIQUE (site_id, number)
);

CREATE TABLE window_queues (
    window_id   BIGINT NOT NULL REFERENCES windows(id) ON DELETE CASCADE,
    queue_id    BIGINT NOT NULL REFERENCES queues(id),
    PRIMARY KEY (window_id, queue_id)
);

CREATE TABLE staff (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id     BIGINT NOT NULL REFERENCES sites(id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
    pin_hash    TEXT,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (site_id, code)
);

-- Running numbers: scope 'case:<site id>' or 'queue:<queue id>', per local day.
CREATE TABLE counters (
    scope       TEXT NOT NULL,
    day         DATE NOT NULL,
    value       BIGINT NOT NULL,
    PRIMARY KEY (scope, day)
);

CREATE TABLE cases (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_no                 TEXT NOT NULL UNIQUE,
    site_id                 BIGINT NOT NULL REFERENCES sites(id),
    local_day               DATE NOT NULL,
    seq                     BIGINT NOT NULL,
    route                   TEXT,
    referral_to             TEXT,
    flags                   JSONB NOT NULL,
    priority                BOOLEAN NOT NULL,
    applicant_name          TEXT NOT NULL,
    applicant_id_masked     TEXT NOT NULL,
    applicant_phone_masked  TEXT NOT NULL,
    counterparty_name       TEXT NOT NULL,
    record                  JSONB NOT NULL,
    decision                JSONB NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    created_by              BIGINT REFERENCES staff(id),
    window_id               BIGINT REFERENCES windows(id),
    UNIQUE (site_id, local_day, seq)
);
CREATE INDEX cases_day ON cases (site_id, local_day);

CREATE TABLE tickets (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_no           TEXT NOT NULL,
    queue_id            BIGINT NOT NULL REFERENCES queues(id),
    local_day           DATE NOT NULL,
    seq                 BIGINT NOT NULL,
    case_id             BIGINT REFERENCES cases(id),
    state               TEXT NOT NULL CHECK (state IN
                          ('waiting', 'called', 'serving', 'done', 'no_show', 'transferred')),
    priority            BOOLEAN NOT NULL,
    issued_at           TIMESTAMPTZ NOT NULL,
    original_issued_at  TIMESTAMPTZ NOT NULL,
    transferred_from    BIGINT REFERENCES tickets(id),
    transfer_reason     TEXT,
    window_id           BIGINT REFERENCES windows(id),
    staff_id            BIGINT REFERENCES staff(id),
    called_at           TIMESTAMPTZ,
    recalls             BIGINT NOT NULL DEFAULT 0,
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    outcome             TEXT,
    UNIQUE (queue_id, local_day, seq)
);
CREATE INDEX tickets_waiting ON tickets (state, local_day, queue_id, priority, original_issued_at);
CREATE INDEX tickets_case ON tickets (case_id);

CREATE TABLE print_jobs (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         BIGINT REFERENCES cases(id),
    ticket_id       BIGINT REFERENCES tickets(id),
    kind            TEXT NOT NULL CHECK (kind IN ('ticket', 'receipt', 'referral')),
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'printing', 'printed', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    printed_at      TIMESTAMPTZ,
    reprint_of      BIGINT REFERENCES print_jobs(id)
);
CREATE INDEX print_jobs_due ON print_jobs (state, next_attempt_at);
CREATE INDEX print_jobs_case ON print_jobs (case_id);

-- Who did what to which case or ticket. Append-only, enforced below.
CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    staff_id    BIGINT,
    window_id   BIGINT,
    action      TEXT NOT NULL,
    case_id     BIGINT,
    ticket_id   BIGINT,
    details     JSONB NOT NULL
);
CREATE INDEX audit_case ON audit_log (case_id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The change version counter: every write appends one row in its own transaction, so a
-- subscriber only reads rows with an id above the last one it saw.
CREATE TABLE changes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              TIMESTAMPTZ NOT NULL,
    kind            TEXT NOT NULL,
    queue_id        BIGINT,
    ticket_id       BIGINT,
    case_id         BIGINT,
    print_job_id    BIGINT
);
