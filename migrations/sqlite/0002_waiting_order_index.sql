-- Call-next walks the day's waiting tickets in calling order and stops at the first one a window
-- serves; a partial index in that order makes it a short index walk instead of a sort of the day.
CREATE INDEX tickets_waiting_order ON tickets (local_day, priority DESC, original_issued_at, id)
    WHERE state = 'waiting';
DROP INDEX tickets_waiting;
