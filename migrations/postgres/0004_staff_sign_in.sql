-- Sign-in at the kiosk: failed PIN attempts are counted and a staff number can be locked.
ALTER TABLE staff ADD COLUMN failed_sign_ins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN locked_until TIMESTAMPTZ;
