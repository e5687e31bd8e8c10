-- Each window is a station with its own printer and its own clerk (issue 7).

-- A window's print runner takes only the paper queued at that window, plus paper queued at no
-- window: a receipt must come out where the worker stands, not at another window whose printer
-- happened to be free while this one was out of paper. Jobs queued before this migration have no
-- window and print anywhere, as before.
ALTER TABLE print_jobs ADD COLUMN window_id BIGINT REFERENCES windows(id);
CREATE INDEX print_jobs_window ON print_jobs (window_id, state);

-- Who is signed in at which window, for the dashboard and for idle time in the report. A kiosk
-- refreshes last_seen_at while it runs; a killed kiosk leaves its session open, and such a
-- session counts as ended when it was last seen.
CREATE TABLE window_sessions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    window_id       BIGINT NOT NULL REFERENCES windows(id),
    staff_id        BIGINT NOT NULL REFERENCES staff(id),
    signed_in_at    TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    signed_out_at   TIMESTAMPTZ
);
CREATE INDEX window_sessions_open ON window_sessions (window_id) WHERE signed_out_at IS NULL;
CREATE INDEX window_sessions_from ON window_sessions (signed_in_at);

-- What each window's printer last said about itself, written by that window's print runner.
CREATE TABLE printer_status (
    window_id   BIGINT PRIMARY KEY REFERENCES windows(id),
    state       TEXT NOT NULL CHECK (state IN ('ok', 'fault', 'unknown')),
    detail      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
