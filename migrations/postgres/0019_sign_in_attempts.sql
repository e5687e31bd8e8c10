-- Sign-in attempts per typed staff number (issue 13), known or not, so that an unknown number
-- answers exactly like a known one and the count is taken in one atomic statement before the
-- slow PIN hash. The columns staff.failed_attempts / locked_until (0005) are no longer used.
CREATE TABLE sign_in_attempts (
    site_id      BIGINT NOT NULL REFERENCES sites(id),
    code         TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    PRIMARY KEY (site_id, code)
);
