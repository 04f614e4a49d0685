// The live statements of the wallboard snapshot (src/metrics/realtime.ts), every queue at once.

// Who waits now: a contact waits in every asked queue it was queued in within the lookback
// ({since}, {now}] (as when read per queue), unless answered, abandoned or completed by now.
// Its state is merged over the days from the lookback's day to now's: a row of a later day holds
// only events after now, which change neither "queued by now" nor "not yet answered" (the same
// answer as reading every later day). The open contacts are found in contact_state first, so
// the per-contact merge reads two days of state, not an IN list over the whole table.
export const WAITING_SQL = `
SELECT queue, count() AS waiting, min(q) AS oldest
FROM (
  SELECT contact_id, min(queued_at) AS q FROM contact_state
  WHERE day >= toDate({since:DateTime64(3)}) AND day <= toDate({now:DateTime64(3)})
  GROUP BY contact_id
  HAVING q <= {now:DateTime64(3)}
    AND (min(answered_at) IS NULL OR min(answered_at) > {now:DateTime64(3)})
    AND (min(abandoned_at) IS NULL OR min(abandoned_at) > {now:DateTime64(3)})
    AND (min(completed_at) IS NULL OR min(completed_at) > {now:DateTime64(3)})
) AS w
INNER JOIN (
  SELECT DISTINCT contact_id, queue FROM contact_events
  WHERE type = 'contact.queued' AND queue IN {queues:Array(String)}
    AND occurred_at >= {since:DateTime64(3)} AND occurred_at <= {now:DateTime64(3)}
) AS qd ON qd.contact_id = w.contact_id
GROUP BY queue`;

// An agent's state is that of its latest event; silent for a day counts as offline. An agent
// counts once in each asked queue it serves.
export const AGENTS_SQL = `
SELECT queue, s AS state, count() AS n FROM (
  SELECT agent_id, argMax(state, (occurred_at, event_id)) AS s, argMax(queues, (occurred_at, event_id)) AS qs
  FROM agent_state_events
  WHERE occurred_at > {since:DateTime64(3)} AND occurred_at <= {now:DateTime64(3)}
  GROUP BY agent_id
)
ARRAY JOIN arrayFilter(x -> has({queues:Array(String)}, x), arrayDistinct(qs)) AS queue
GROUP BY queue, s`;

// The latest successful run per queue and channel, over each queue's own local day ({q_from}[i],
// {q_to}[i] for {queues}[i]); absent forecasts (or no forecasts table) give nulls. A row with
// bucket -1 per queue that has a successful run at all: only those queues can have staffing
// requirements (they are read for the latest successful run), so the others skip that read.
export const FORECAST_SQL = `
SELECT queue, toUnixTimestamp(interval_start) * 1000 AS bucket, sum(volume) AS volume
FROM forecasts
WHERE has({queues:Array(String)}, queue)
  AND interval_start >= arrayElement({q_from:Array(DateTime64(3))}, indexOf({queues:Array(String)}, queue))
  AND interval_start < arrayElement({q_to:Array(DateTime64(3))}, indexOf({queues:Array(String)}, queue))
  AND (queue, channel, run_id) IN (
    SELECT queue, channel, argMax(run_id, finished_at) FROM forecast_runs
    WHERE has({queues:Array(String)}, queue) AND status = 'ok' GROUP BY queue, channel
  )
GROUP BY queue, bucket
UNION ALL
SELECT queue, -1 AS bucket, count() AS volume FROM forecast_runs
WHERE has({queues:Array(String)}, queue) AND status = 'ok' GROUP BY queue`;
