-- Indexes for the filed report (issue 14). Its per-window, per-clerk, referral and hourly counts
-- read the period's cases, and a case row is wide (the intake record and the decision as JSONB):
-- covering indexes let those counts read only the few columns they group by. The parallel steps
-- (`also`) still read each decision (an expression index on it does not cover); the ticket
-- counts per state go through (queue, day, state).
CREATE INDEX cases_filing ON cases (site_id, local_day, window_id, created_by, referral_to, created_at);
CREATE INDEX tickets_filing ON tickets (queue_id, local_day, state);
CREATE INDEX case_facts_filing ON case_facts (site_id, local_day, outcome, route);
