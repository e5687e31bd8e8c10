-- Case search by phone (the kiosk's search box): the full number beside the masked one. It is
-- already in the stored record; a column makes it searchable without parsing JSON per row.
ALTER TABLE cases ADD COLUMN applicant_phone TEXT;
CREATE INDEX cases_applicant_name ON cases (applicant_name);
