-- One open request per change, whichever node opens it. open_key holds the request hash while the request
-- is open (pending, escalated, or claimed by an approval still being decided) and is NULL otherwise; the
-- unique index lets exactly one row hold a hash (NULLs do not collide in H2 nor in PostgreSQL), so a node
-- that opens a change another node opened at the same instant fails to insert and reads the other's request.
-- A column kept by the store rather than a partial index: H2 has none.
ALTER TABLE mandate_approvals ADD COLUMN IF NOT EXISTS open_key VARCHAR(80);
-- Requests open before this version: the oldest open request of each change holds its key; a younger
-- duplicate (opened by the race this version closes) stays open without the key, to be decided or to expire.
UPDATE mandate_approvals SET open_key = request_hash
 WHERE open_key IS NULL AND request_hash IS NOT NULL AND status IN ('PENDING', 'ESCALATED')
   AND NOT EXISTS (SELECT 1 FROM mandate_approvals older
                    WHERE older.request_hash = mandate_approvals.request_hash
                      AND older.status IN ('PENDING', 'ESCALATED')
                      AND (older.created_at < mandate_approvals.created_at
                           OR (older.created_at = mandate_approvals.created_at AND older.id < mandate_approvals.id)));
CREATE UNIQUE INDEX IF NOT EXISTS ux_mandate_approvals_open_key ON mandate_approvals (open_key);
