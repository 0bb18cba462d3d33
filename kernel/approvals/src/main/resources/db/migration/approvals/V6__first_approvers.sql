-- The teams a request was first addressed to (a JSON array), so that it escalates along their chain, one
-- team after the other, however the teams it was escalated to declare their own. NULL for requests opened
-- before this version: they escalate along the chain of the teams they are addressed to now.
ALTER TABLE mandate_approvals ADD COLUMN IF NOT EXISTS first_approvers TEXT;
