-- Per-queue attention limits of the live agents view: an agent in wrap-up or on a break longer
-- than its queue's limit needs a manager's attention (GET /v1/agents sorts those first). One row
-- per queue after merges (the newest change wins); reads use FINAL. Queues without a row use
-- the defaults of src/agents/limits.ts.
CREATE TABLE IF NOT EXISTS agent_queue_limits (
  queue            String,
  wrap_up_limit_s  UInt32,
  break_limit_s    UInt32,
  changed_at       DateTime64(3, 'UTC'),
  changed_by       String
) ENGINE = ReplacingMergeTree(changed_at)
ORDER BY queue;
