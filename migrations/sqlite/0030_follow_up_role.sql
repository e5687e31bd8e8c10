-- The follow-up caller (回访员, issue 14): staff who make the follow-up calls and are neither
-- window clerks nor supervisors.
--
-- SQLite cannot change a CHECK constraint, so the staff table is rebuilt (new table, drop,
-- rename) keeping every column, row and id. Cases, tickets, window sessions, follow-ups and
-- alerts reference staff(id), some NOT NULL, so the references cannot be set aside as 0021 did
-- for one column; and `foreign_keys = OFF` has no effect inside the migration's transaction.
-- Instead the check of foreign keys is deferred to the commit (`defer_foreign_keys`, which
-- SQLite resets at the commit): dropping the old table counts each row that refers to it as a
-- violation, and putting every staff row back under its old id, into the table that now has
-- the old name, resolves each one again. A row left out would make the commit fail, so the
-- migration cannot lose a staff member anything points at. The table has no index of its own
-- but its UNIQUE (site_id, code), which the new table declares, and no trigger.
CREATE TEMP TABLE staff_0030 AS SELECT * FROM staff;
PRAGMA defer_foreign_keys = ON;
CREATE TABLE staff_new (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'follow_up')),
    pin_hash        TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    UNIQUE (site_id, code)
);
DROP TABLE staff;
ALTER TABLE staff_new RENAME TO staff;
INSERT INTO staff (id, site_id, code, name, role, pin_hash, active, failed_attempts, locked_until)
SELECT id, site_id, code, name, role, pin_hash, active, failed_attempts, locked_until
FROM staff_0030;
DROP TABLE staff_0030;
