// Forecast vs actual: offered per half-hour against the latest run's forecast and its 80 % / 95 %
// prediction bands, and accuracy (WAPE) by lead time over every run, as GET /v1/forecasts/accuracy.
import { CHANNELS, QUEUES } from './lib/contacts-sql.js';
import { callcastDashboard, type BuiltDashboard } from './lib/dashboard.js';
import { FORECAST_SQL } from './lib/forecast-sql.js';
import { halfHoursCte } from './lib/rollup-sql.js';
import { QueryCatalog, seriesPanel, steps, tablePanel } from './lib/panels.js';

export const UID = 'callcast-forecast';

// Actual offered on the forecast's grid (UTC half-hours), from the half-hour counts `hh`
// (lib/rollup-sql.ts: the rollup where it can answer, per contact for the rest).
const HH_UTC = halfHoursCte({ tz: "'UTC'" });

/** Contacts offered per UTC half-hour (the forecast's grid), in the half-hour each contact was queued. */
export const ACTUAL_SQL = `
WITH ${HH_UTC}
SELECT bucket AS time, sum(offered) AS actual
FROM hh GROUP BY time ORDER BY time`;

/** Forecast vs actual per half-hour by whole days from each run's origin; only half-hours inside the range. */
export const ACCURACY_SQL = `
WITH
${HH_UTC},
runs AS (
  SELECT run_id, queue, channel, any(origin) AS run_origin FROM forecast_runs
  WHERE status = 'ok' AND queue IN (${QUEUES}) AND channel IN (${CHANNELS}) AND origin < $__toTime
  GROUP BY run_id, queue, channel
),
f AS (
  SELECT fc.run_id AS run_id, fc.queue AS queue, fc.channel AS channel, fc.interval_start AS interval_start, fc.volume AS volume,
    intDiv(toUnixTimestamp(fc.interval_start) - toUnixTimestamp(runs.run_origin), 86400) AS lead
  FROM forecasts AS fc INNER JOIN runs ON fc.run_id = runs.run_id AND fc.queue = runs.queue AND fc.channel = runs.channel
  WHERE fc.interval_start >= $__fromTime AND fc.interval_start < $__toTime
),
a AS (SELECT queue, channel, bucket AS interval_start, sum(offered) AS actual FROM hh GROUP BY queue, channel, interval_start)
SELECT f.lead AS lead_days, count() AS intervals, uniqExact(f.run_id) AS runs, sum(a.actual) AS actual, sum(f.volume) AS forecast,
  sum(abs(f.volume - a.actual)) AS abs_error, sum(abs(f.volume - a.actual)) / nullIf(sum(a.actual), 0) AS wape
FROM f LEFT JOIN a ON f.queue = a.queue AND f.channel = a.channel AND f.interval_start = a.interval_start
GROUP BY lead_days ORDER BY lead_days`;

export const RUNS_SQL = `
SELECT run_id, queue, channel, any(origin) AS origin, max(finished_at) AS finished_at, any(status) AS status,
  arrayStringConcat(groupArrayIf(model, weight > 0), ', ') AS ensemble_models,
  minIf(wape, weight > 0) AS best_wape
FROM forecast_runs
WHERE queue IN (${QUEUES}) AND channel IN (${CHANNELS}) AND $__timeFilter(started_at)
GROUP BY run_id, queue, channel
ORDER BY finished_at DESC, queue, channel
LIMIT 200`;

const WAPE_STEPS = () => steps(['green', null], ['orange', 0.15], ['red', 0.3]);
const band = (below: string) => [
  { id: 'custom.fillBelowTo', value: below },
  { id: 'custom.lineWidth', value: 0 },
  { id: 'custom.fillOpacity', value: 18 },
];
const quiet = { id: 'custom.lineWidth', value: 0 };

export function forecastDashboard(): BuiltDashboard {
  const cat = new QueryCatalog(UID);
  const b = callcastDashboard(UID, 'Callcast · Forecast vs actual', {
    from: 'now-14d/d',
    to: 'now+7d/d',
    refresh: '5m',
    variables: ['queue', 'channel'],
    description:
      'Offered contacts against the latest successful forecast run per queue × channel, with its prediction bands, and forecast accuracy by lead time over every run.',
  });
  b.withPanel(
    seriesPanel(cat, {
      title: 'Offered: actual vs forecast',
      w: 24,
      h: 10,
      unit: 'short',
      min: 0,
      description:
        "Forecast and bands summed over the selected queues and channels; for one queue × channel the bands are the model's 80 % and 95 % prediction intervals, summed bands of several series are wider than a joint interval.",
      queries: [
        { sql: ACTUAL_SQL, columns: { time: 'time', actual: 'number' } },
        {
          sql: FORECAST_SQL,
          columns: { time: 'time', forecast: 'number', lo80: 'number', hi80: 'number', lo95: 'number', hi95: 'number' },
        },
      ],
      fields: {
        actual: { color: 'blue', displayName: 'Actual offered' },
        forecast: { color: 'orange', displayName: 'Forecast' },
        hi95: { color: 'orange', displayName: '95 % band', extra: band('lo95') },
        lo95: {
          color: 'orange',
          extra: [quiet, { id: 'custom.hideFrom', value: { legend: true, tooltip: false, viz: false } }],
        },
        hi80: { color: 'orange', displayName: '80 % band', extra: band('lo80') },
        lo80: {
          color: 'orange',
          extra: [quiet, { id: 'custom.hideFrom', value: { legend: true, tooltip: false, viz: false } }],
        },
      },
    }),
  );
  b.withPanel(
    tablePanel(cat, {
      title: 'Accuracy by lead time',
      w: 12,
      h: 10,
      sortBy: 'lead_days',
      description:
        "WAPE = Σ|forecast − actual| ÷ Σ actual over every half-hour in the range, grouped by whole days between the run's origin and the half-hour.",
      query: {
        sql: ACCURACY_SQL,
        columns: {
          lead_days: 'number',
          intervals: 'number',
          runs: 'number',
          actual: 'number',
          forecast: 'number',
          abs_error: 'number',
          wape: 'number',
        },
      },
      fields: {
        lead_days: { unit: 'd', decimals: 0, displayName: 'Lead (days)' },
        forecast: { decimals: 1 },
        abs_error: { decimals: 1, displayName: 'Σ |error|' },
        wape: { unit: 'percentunit', decimals: 1, thresholds: WAPE_STEPS(), displayName: 'WAPE' },
      },
    }),
  );
  b.withPanel(
    tablePanel(cat, {
      title: 'Forecast runs',
      w: 12,
      h: 10,
      description: 'Runs started in the range: the models the ensemble used and the best backtest WAPE among them.',
      query: {
        sql: RUNS_SQL,
        columns: {
          run_id: 'string',
          queue: 'string',
          channel: 'string',
          origin: 'time',
          finished_at: 'time',
          status: 'string',
          ensemble_models: 'string',
          best_wape: 'number',
        },
      },
      fields: {
        best_wape: { unit: 'percentunit', decimals: 1, thresholds: WAPE_STEPS(), displayName: 'Best backtest WAPE' },
      },
    }),
  );
  return { uid: UID, dashboard: b.build(), queries: cat.queries };
}
