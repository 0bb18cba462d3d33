-- Which canonical form a record's payload text is in: 1 = Jackson with sorted keys (before RFC 8785),
-- 2 = RFC 8785 (JCS). Both are hashed the same way (see dev.mandate.kernel.ledger.verify.ChainRecord).
ALTER TABLE mandate_evidence ADD COLUMN IF NOT EXISTS record_format INT DEFAULT 1 NOT NULL;
