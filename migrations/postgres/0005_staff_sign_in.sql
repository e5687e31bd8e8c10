-- Sign-in lock-out is kept in the database so that trying another window does not reset it.
ALTER TABLE staff ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN locked_until TIMESTAMPTZ;
