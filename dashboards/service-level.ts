// Service level & queues: SL against each queue's target, ASA, abandons and offered per
// half-hour, and the weekday × half-hour pattern of demand, over the chosen range.
import { GraphDrawStyle, StackingMode } from '@grafana/grafana-foundation-sdk/common';
import { ABANDON_RATE, AHT, ASA, FROM, TZ, serviceLevel, withSettingsAt } from './lib/contacts-sql.js';
import { HH_COUNTS, halfHoursCte } from './lib/rollup-sql.js';
import { callcastDashboard, type BuiltDashboard } from './lib/dashboard.js';
import { ABANDON_STEPS, QueryCatalog, SL_STEPS, WAIT_STEPS, seriesPanel, tablePanel } from './lib/panels.js';

export const UID = 'callcast-service-level';

const RATIOS = `${serviceLevel('formula')} AS service_level, ${ASA} AS asa_s, ${AHT} AS aht_s, ${ABANDON_RATE} AS abandon_rate`;

// Every contact panel reads the half-hour counts `hh` (lib/rollup-sql.ts): the rollup where it
// can answer, the per-contact computation for the rest.
const HH = halfHoursCte();

export const QUEUE_TOTALS_SQL = `
WITH ${HH},
agg AS (SELECT queue, ${FROM} AS at, ${HH_COUNTS} FROM hh GROUP BY queue)
${withSettingsAt(`queue, formula, sl_target, offered, answered, answered_within_t, short_abandons, abandoned, handled, ${RATIOS}`, 'at')}
ORDER BY queue`;

export const SL_BY_HALF_HOUR_SQL = `
WITH ${HH},
agg AS (SELECT bucket, queue, ${HH_COUNTS} FROM hh GROUP BY bucket, queue)
${withSettingsAt(`bucket AS time, queue, ${serviceLevel('formula')} AS service_level, sl_target`, 'bucket')}
ORDER BY time, queue`;

export const ASA_BY_HALF_HOUR_SQL = `
WITH ${HH}
SELECT bucket AS time, queue, sum(wait_ms) / 1000 / nullIf(sum(answered), 0) AS asa_s
FROM hh GROUP BY time, queue ORDER BY time, queue`;

export const ABANDONS_BY_HALF_HOUR_SQL = `
WITH ${HH}
SELECT bucket AS time, sum(abandoned) AS abandoned, sum(short_abandons) AS short_abandons
FROM hh GROUP BY time ORDER BY time`;

export const OFFERED_BY_HALF_HOUR_SQL = `
WITH ${HH}
SELECT bucket AS time, queue, sum(offered) AS offered
FROM hh GROUP BY time, queue ORDER BY time, queue`;

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** Mean contacts offered per weekday × local half-hour; days without contacts count as 0. */
export const WEEKDAY_HEATMAP_SQL = `
WITH
  toDate(toDateTime($__fromTime, ${TZ})) AS first_day,
  arrayMap(i -> first_day + i, range(toUInt32(dateDiff('day', first_day, toDate(toDateTime($__toTime, ${TZ}) - 1)) + 1))) AS range_days,
  ${HH}
SELECT formatDateTime(toDateTime(bucket, ${TZ}), '%H:%i') AS half_hour,
  ${DAYS.map((d, i) => `sumIf(offered, toDayOfWeek(toDateTime(bucket, ${TZ})) = ${i + 1}) / greatest(1, arrayCount(d -> toDayOfWeek(d) = ${i + 1}, range_days)) AS ${d}`).join(',\n  ')}
FROM hh GROUP BY half_hour ORDER BY half_hour`;

export function serviceLevelDashboard(): BuiltDashboard {
  const cat = new QueryCatalog(UID);
  const b = callcastDashboard(UID, 'Callcast · Service level & queues', {
    from: 'now-7d/d',
    to: 'now',
    refresh: '1m',
    description:
      "Service level against each queue's target, ASA, abandons and offered per half-hour (counted in the half-hour each contact was queued; short abandons apart).",
  });
  b.withPanel(
    tablePanel(cat, {
      title: 'Queues over the range',
      w: 24,
      h: 7,
      sortBy: 'queue',
      description:
        'Counts beside every ratio. Service level uses the formula named in "formula" (the queue\'s setting at the start of the range); short abandons are left out of abandons and of the denominators.',
      query: {
        sql: QUEUE_TOTALS_SQL,
        columns: {
          queue: 'string',
          formula: 'string',
          sl_target: 'number',
          offered: 'number',
          answered: 'number',
          answered_within_t: 'number',
          short_abandons: 'number',
          abandoned: 'number',
          handled: 'number',
          service_level: 'number',
          asa_s: 'number',
          aht_s: 'number',
          abandon_rate: 'number',
        },
      },
      fields: {
        service_level: { unit: 'percentunit', decimals: 1, thresholds: SL_STEPS(), displayName: 'Service level' },
        sl_target: { unit: 'percentunit', decimals: 0, displayName: 'Target' },
        asa_s: { unit: 's', decimals: 1, thresholds: WAIT_STEPS(), displayName: 'ASA' },
        aht_s: { unit: 's', decimals: 0, displayName: 'AHT' },
        abandon_rate: { unit: 'percentunit', decimals: 1, thresholds: ABANDON_STEPS(), displayName: 'Abandon rate' },
      },
    }),
  );
  b.withPanel(
    seriesPanel(cat, {
      title: 'Service level by half-hour vs target',
      w: 12,
      h: 9,
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: SL_STEPS(),
      showThresholds: true,
      description:
        "Per queue; the dashed lines are the default 70 % / 80 % bands, sl_target is each queue's own target.",
      queries: [
        {
          sql: SL_BY_HALF_HOUR_SQL,
          columns: { time: 'time', queue: 'string', service_level: 'number', sl_target: 'number' },
        },
      ],
    }),
  );
  b.withPanel(
    seriesPanel(cat, {
      title: 'ASA by half-hour',
      w: 12,
      h: 9,
      unit: 's',
      min: 0,
      thresholds: WAIT_STEPS(),
      showThresholds: true,
      description: 'Average speed of answer: total wait of answered contacts ÷ answered contacts.',
      queries: [{ sql: ASA_BY_HALF_HOUR_SQL, columns: { time: 'time', queue: 'string', asa_s: 'number' } }],
    }),
  );
  b.withPanel(
    seriesPanel(cat, {
      title: 'Abandons by half-hour',
      w: 12,
      h: 8,
      unit: 'short',
      min: 0,
      draw: GraphDrawStyle.Bars,
      stack: StackingMode.Normal,
      fill: 80,
      description:
        'Abandoned after the short-abandon limit, and short abandons (reported apart, left out of abandon rate).',
      queries: [
        { sql: ABANDONS_BY_HALF_HOUR_SQL, columns: { time: 'time', abandoned: 'number', short_abandons: 'number' } },
      ],
      fields: {
        abandoned: { color: 'red', displayName: 'Abandoned' },
        short_abandons: { color: 'yellow', displayName: 'Short abandons' },
      },
    }),
  );
  b.withPanel(
    seriesPanel(cat, {
      title: 'Offered by half-hour',
      w: 12,
      h: 8,
      unit: 'short',
      min: 0,
      draw: GraphDrawStyle.Bars,
      stack: StackingMode.Normal,
      fill: 80,
      queries: [{ sql: OFFERED_BY_HALF_HOUR_SQL, columns: { time: 'time', queue: 'string', offered: 'number' } }],
    }),
  );
  b.withPanel(
    tablePanel(cat, {
      title: 'Offered per weekday × half-hour (mean per day)',
      w: 24,
      h: 16,
      heat: { unit: 'short', decimals: 1 },
      description: 'Mean contacts offered in each local half-hour of each weekday over the range (time zone variable).',
      query: {
        sql: WEEKDAY_HEATMAP_SQL,
        columns: { half_hour: 'string', ...Object.fromEntries(DAYS.map((d) => [d, 'number' as const])) },
      },
    }),
  );
  return { uid: UID, dashboard: b.build(), queries: cat.queries };
}
