-- How `raw` holds the payload: 'utf8' = the payload's own text; 'base64' = the payload was not
-- valid UTF-8, so `raw` is its bytes in base64 (decode it to get the message byte for byte).
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS raw_encoding LowCardinality(String) DEFAULT 'utf8' AFTER raw;
