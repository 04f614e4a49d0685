// Which forecast a dashboard shows: per queue × channel, the latest successful run (the same
// choice as the wallboard and GET /v1/forecasts).
import { CHANNELS, QUEUES } from './contacts-sql.js';

export const LATEST_RUNS = `(queue, channel, run_id) IN (
    SELECT queue, channel, argMax(run_id, finished_at) FROM forecast_runs
    WHERE status = 'ok' AND queue IN (${QUEUES}) AND channel IN (${CHANNELS}) GROUP BY queue, channel
  )`;

/** Forecast volume and bands per half-hour of the range, summed over the selected series. */
export const FORECAST_SQL = `
SELECT interval_start AS time, sum(volume) AS forecast, sum(lo80) AS lo80, sum(hi80) AS hi80, sum(lo95) AS lo95, sum(hi95) AS hi95
FROM forecasts
WHERE queue IN (${QUEUES}) AND channel IN (${CHANNELS}) AND $__timeFilter(interval_start) AND ${LATEST_RUNS}
GROUP BY time ORDER BY time`;
