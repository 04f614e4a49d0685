-- Staffing inputs per queue, versioned like queue_settings: every change is a new row (who,
-- when, from when, the previous values) and never overwrites history. Version 0 (the defaults
-- of docs/staffing.md) is implicit. `inputs` and `previous` are the JSON of the values.
CREATE TABLE IF NOT EXISTS staffing_inputs (
  queue            String,
  version          UInt32,
  effective_from   DateTime64(3, 'UTC'),
  changed_at       DateTime64(3, 'UTC'),
  changed_by       String,
  inputs           String,
  previous         String
) ENGINE = ReplacingMergeTree
ORDER BY (queue, version);

-- What sized each requirement row beyond the settings already stored: contacts per agent at
-- once, and the agents Erlang C would need (beside Erlang A's answer and abandon rate).
ALTER TABLE staffing_requirements ADD COLUMN IF NOT EXISTS concurrency Float64 DEFAULT 1;
ALTER TABLE staffing_requirements ADD COLUMN IF NOT EXISTS erlang_c_required UInt32 DEFAULT 0;
