// Live wallboard: one row per queue (repeated over the queue variable), refreshed every 5 s.
// "Now" is the end of the time range (the dashboard runs from today's start to now).
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  ABANDON_RATE,
  AHT,
  ASA,
  CHANNELS,
  FROM,
  QUEUES,
  TO,
  serviceLevel,
  withSettingsAt,
} from './lib/contacts-sql.js';
import { HH_COUNTS, halfHoursCte, hhExperience } from './lib/rollup-sql.js';
import { callcastDashboard, type BuiltDashboard } from './lib/dashboard.js';
import { FORECAST_SQL } from './lib/forecast-sql.js';
import {
  ABANDON_STEPS,
  NPS_STEPS,
  PCT_GOOD_STEPS,
  QueryCatalog,
  SL_STEPS,
  WAIT_STEPS,
  barGaugePanel,
  seriesPanel,
  statPanel,
  steps,
} from './lib/panels.js';

export const UID = 'callcast-live';

// The day so far from the half-hour counts `hh` (lib/rollup-sql.ts): the rollup for its settled
// half-hours, per contact for the last few hours.
export const TODAY_SQL = `
WITH ${halfHoursCte()},
agg AS (SELECT queue, ${FROM} AS at, ${HH_COUNTS} FROM hh GROUP BY queue)
${withSettingsAt(`${serviceLevel('formula')} AS service_level, ${ABANDON_RATE} AS abandon_rate, ${ASA} AS asa_s, ${AHT} AS aht_s, offered`, 'at')}`;

/** Contacts waiting at the end of the range (queued within the day before it), and the longest wait. */
export const WAITING_SQL = `
SELECT count() AS waiting_now, if(count() = 0, NULL, dateDiff('millisecond', min(q), ${TO}) / 1000) AS longest_wait_s
FROM (
  SELECT contact_id, min(queued_at) AS q, min(answered_at) AS a, min(abandoned_at) AS ab, min(completed_at) AS c
  FROM contact_state
  WHERE day >= toDate(${TO} - INTERVAL 1 DAY) AND contact_id IN (
    SELECT contact_id FROM contact_events
    WHERE type = 'contact.queued' AND queue IN (${QUEUES}) AND channel IN (${CHANNELS})
      AND occurred_at >= ${TO} - INTERVAL 1 DAY AND occurred_at <= ${TO}
  )
  GROUP BY contact_id
  HAVING q <= ${TO} AND (a IS NULL OR a > ${TO}) AND (ab IS NULL OR ab > ${TO}) AND (c IS NULL OR c > ${TO})
)`;

/** Agents by their latest state (events of the last day) among agents serving the queue. */
export const AGENTS_SQL = `
SELECT countIf(s = 'available') AS available, countIf(s = 'on_contact') AS on_contact, countIf(s = 'wrap_up') AS wrap_up,
  countIf(s = 'break') AS on_break, countIf(s = 'training') AS training, countIf(s = 'offline') AS offline
FROM (
  SELECT agent_id, argMax(state, (occurred_at, event_id)) AS s, argMax(queues, (occurred_at, event_id)) AS qs
  FROM agent_state_events
  WHERE occurred_at > ${TO} - INTERVAL 1 DAY AND occurred_at <= ${TO}
  GROUP BY agent_id
)
WHERE hasAny(qs, [${QUEUES}])`;

export const EXPERIENCE_TODAY_SQL = `
WITH ${halfHoursCte({ experience: true })}
SELECT ${hhExperience(['nps', 'csat', 'fcr_survey', 'surveys_nps'])}
FROM hh`;

export const OFFERED_TODAY_SQL = `
WITH ${halfHoursCte()}
SELECT bucket AS time, sum(offered) AS offered FROM hh GROUP BY time ORDER BY time`;

export function liveDashboard(): BuiltDashboard {
  const cat = new QueryCatalog(UID);
  const b = callcastDashboard(UID, 'Callcast · Live wallboard', {
    from: 'now/d',
    to: 'now',
    refresh: '5s',
    description:
      'Per queue, today so far: service level, waits, abandons, agents by state and customer scores; refreshed every 5 seconds.',
  });
  // An open row repeated per queue: Grafana repeats the panels that follow it, each with one queue.
  b.withRow(new RowBuilder('$queue').repeat('queue').collapsed(false));
  b.withPanel(
    statPanel(cat, {
      title: 'Today',
      w: 10,
      h: 5,
      description:
        "Service level by the queue's formula, abandon rate (short abandons left out), ASA, AHT and contacts offered since the start of the day.",
      query: {
        sql: TODAY_SQL,
        columns: {
          service_level: 'number',
          abandon_rate: 'number',
          asa_s: 'number',
          aht_s: 'number',
          offered: 'number',
        },
      },
      fields: {
        service_level: { unit: 'percentunit', decimals: 1, thresholds: SL_STEPS(), displayName: 'Service level' },
        abandon_rate: { unit: 'percentunit', decimals: 1, thresholds: ABANDON_STEPS(), displayName: 'Abandon rate' },
        asa_s: { unit: 's', decimals: 0, thresholds: WAIT_STEPS(), displayName: 'ASA' },
        aht_s: { unit: 's', decimals: 0, displayName: 'AHT' },
        offered: { unit: 'short', decimals: 0, displayName: 'Offered' },
      },
    }),
  );
  b.withPanel(
    statPanel(cat, {
      title: 'Waiting now',
      w: 5,
      h: 5,
      query: { sql: WAITING_SQL, columns: { waiting_now: 'number', longest_wait_s: 'number' } },
      fields: {
        waiting_now: {
          unit: 'short',
          decimals: 0,
          thresholds: steps(['green', null], ['orange', 5], ['red', 10]),
          displayName: 'In queue',
        },
        longest_wait_s: { unit: 's', decimals: 0, thresholds: WAIT_STEPS(), displayName: 'Longest wait' },
      },
    }),
  );
  b.withPanel(
    barGaugePanel(cat, {
      title: 'Agents by state',
      w: 4,
      h: 5,
      query: {
        sql: AGENTS_SQL,
        columns: {
          available: 'number',
          on_contact: 'number',
          wrap_up: 'number',
          on_break: 'number',
          training: 'number',
          offline: 'number',
        },
      },
      fields: {
        available: { color: 'green', displayName: 'Available' },
        on_contact: { color: 'blue', displayName: 'On contact' },
        wrap_up: { color: 'purple', displayName: 'Wrap-up' },
        on_break: { color: 'orange', displayName: 'Break' },
        training: { color: 'yellow', displayName: 'Training' },
        offline: { color: 'text', displayName: 'Offline' },
      },
    }),
  );
  b.withPanel(
    statPanel(cat, {
      title: 'Customers today',
      w: 5,
      h: 5,
      query: {
        sql: EXPERIENCE_TODAY_SQL,
        columns: { nps: 'number', csat: 'number', fcr_survey: 'number', surveys_nps: 'number' },
      },
      fields: {
        nps: { unit: 'none', decimals: 0, thresholds: NPS_STEPS(), displayName: 'NPS' },
        csat: { unit: 'percentunit', decimals: 0, thresholds: PCT_GOOD_STEPS(), displayName: 'CSAT' },
        fcr_survey: { unit: 'percentunit', decimals: 0, thresholds: PCT_GOOD_STEPS(), displayName: 'FCR (survey)' },
        surveys_nps: { unit: 'short', decimals: 0, displayName: 'Surveys' },
      },
    }),
  );
  b.withPanel(
    seriesPanel(cat, {
      title: 'Offered per half-hour vs forecast',
      w: 24,
      h: 7,
      unit: 'short',
      min: 0,
      queries: [
        { sql: OFFERED_TODAY_SQL, columns: { time: 'time', offered: 'number' } },
        {
          sql: FORECAST_SQL,
          columns: { time: 'time', forecast: 'number', lo80: 'number', hi80: 'number', lo95: 'number', hi95: 'number' },
        },
      ],
      fields: {
        offered: { color: 'blue', displayName: 'Offered' },
        forecast: {
          color: 'orange',
          displayName: 'Forecast',
          extra: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }],
        },
        hi80: {
          color: 'orange',
          extra: [
            { id: 'custom.fillBelowTo', value: 'lo80' },
            { id: 'custom.lineWidth', value: 0 },
            { id: 'custom.fillOpacity', value: 20 },
            { id: 'custom.hideFrom', value: { legend: true, tooltip: false, viz: false } },
          ],
        },
        lo80: {
          color: 'orange',
          extra: [
            { id: 'custom.lineWidth', value: 0 },
            { id: 'custom.hideFrom', value: { legend: true, tooltip: false, viz: false } },
          ],
        },
        hi95: {
          color: 'orange',
          extra: [{ id: 'custom.hideFrom', value: { legend: true, tooltip: true, viz: true } }],
        },
        lo95: {
          color: 'orange',
          extra: [{ id: 'custom.hideFrom', value: { legend: true, tooltip: true, viz: true } }],
        },
      },
    }),
  );
  return { uid: UID, dashboard: b.build(), queries: cat.queries };
}
