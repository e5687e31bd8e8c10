-- When a number was last tried (issue 13): sign-in attempt rows are pruned once they no longer
-- matter (no lock in force and no attempt within the lock-out period), so numbers typed at
-- random cannot grow the table without bound. Rows from before this column are pruned only when
-- their count is spent (a success or an expired lock).
ALTER TABLE sign_in_attempts ADD COLUMN last_attempt_at TEXT;
