-- The follow-up caller (回访员, issue 14): staff who make the follow-up calls and are neither
-- window clerks nor supervisors. The role's CHECK (named by PostgreSQL from its column, as
-- 0001 declared it inline) is replaced by one that accepts it; no row changes.
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check
    CHECK (role IN ('clerk', 'supervisor', 'follow_up'));
