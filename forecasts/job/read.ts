// Reads of what the job wrote, for the API: the latest run, forecast and requirement rows,
// and actual offered/AHT per half-hour for accuracy and intraday, counted with the metric
// definitions (CONTACT_COMPONENTS over contact_state). Parameterised SQL only.
import type { ClickHouseClient } from '@clickhouse/client';

import { CONTACT_COMPONENTS as C } from '../../src/metrics/contacts-sql.js';
import { LAG_DAYS } from '../../src/metrics/query.js';
import { chTime } from '../../src/store/time.js';
import { queryRows as rows } from '../../src/store/rows.js';
export { chTime };
export const isoOf = (chDateTime: string) => `${chDateTime.replace(' ', 'T')}Z`;

export interface RunRef {
  run_id: string;
  origin: string;
}

/** The latest successful run covering `queue` (any queue when empty), or a given run. */
export async function latestRun(client: ClickHouseClient, queue: string, runId = ''): Promise<RunRef | null> {
  const r = await rows<RunRef>(
    client,
    `SELECT run_id, toString(any(origin)) AS origin FROM forecast_runs
     WHERE status = 'ok' AND ({queue:String} = '' OR queue = {queue:String}) AND ({run:String} = '' OR run_id = {run:String})
     GROUP BY run_id ORDER BY max(finished_at) DESC, run_id DESC LIMIT 1`,
    { queue, run: runId },
  );
  return r[0] ? { run_id: r[0].run_id, origin: isoOf(r[0].origin) } : null;
}

export interface ForecastRow {
  queue: string;
  channel: string;
  interval_start: string;
  volume: number;
  aht: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
  model: string;
}

export async function forecastRows(
  client: ClickHouseClient,
  runId: string,
  f: { queue: string; channel: string; fromMs: number; toMs: number },
  limit: number,
): Promise<ForecastRow[]> {
  const out = await rows<ForecastRow & { ts: string }>(
    client,
    `SELECT queue, channel, toString(interval_start) AS ts, volume, aht, lo80, hi80, lo95, hi95, model FROM forecasts
     WHERE run_id = {run:String} AND ({queue:String} = '' OR queue = {queue:String}) AND ({channel:String} = '' OR channel = {channel:String})
       AND interval_start >= toDateTime({from:DateTime64(3, 'UTC')}) AND interval_start < toDateTime({to:DateTime64(3, 'UTC')})
     ORDER BY queue, channel, interval_start LIMIT {limit:UInt32}`,
    { run: runId, queue: f.queue, channel: f.channel, from: chTime(f.fromMs), to: chTime(f.toMs), limit },
  );
  return out.map(({ ts, ...r }) => ({ ...r, interval_start: isoOf(ts) }));
}

export interface RequirementDbRow {
  queue: string;
  channel: string;
  interval_start: string;
  volume: number;
  aht: number;
  required: number;
  scheduled_needed: number;
  expected_sl: number;
  asa: number;
  occupancy: number;
  abandon: number;
  target_met: boolean;
  model: string;
  threshold_s: number;
  sl_target: number;
  max_occupancy: number;
  shrinkage: number;
  patience_s: number | null;
  /** Contacts per agent at once (1 for rows written before it was recorded). */
  concurrency: number;
  /** Agents Erlang C would need (0 for rows written before it was recorded). */
  erlang_c_required: number;
}

export async function requirementRows(
  client: ClickHouseClient,
  runId: string,
  f: { queue: string; channel: string; fromMs: number; toMs: number },
): Promise<RequirementDbRow[]> {
  const out = await rows<RequirementDbRow & { ts: string }>(
    client,
    `SELECT queue, channel, toString(interval_start) AS ts, volume, aht, required, scheduled_needed, expected_sl, asa, occupancy, abandon,
            target_met, model, threshold_s, sl_target, max_occupancy, shrinkage, patience_s, concurrency, erlang_c_required
     FROM staffing_requirements
     WHERE run_id = {run:String} AND queue = {queue:String} AND ({channel:String} = '' OR channel = {channel:String})
       AND interval_start >= toDateTime({from:DateTime64(3, 'UTC')}) AND interval_start < toDateTime({to:DateTime64(3, 'UTC')})
     ORDER BY channel, interval_start`,
    { run: runId, queue: f.queue, channel: f.channel, from: chTime(f.fromMs), to: chTime(f.toMs) },
  );
  return out.map(({ ts, ...r }) => ({
    ...r,
    interval_start: isoOf(ts),
    required: Number(r.required),
    scheduled_needed: Number(r.scheduled_needed),
    target_met: Boolean(r.target_met),
    concurrency: Number(r.concurrency),
    erlang_c_required: Number(r.erlang_c_required),
  }));
}

/**
 * One row per contact of {queue:String} queued in [{from}, `to`) — its channel, queued time and
 * the columns CONTACT_COMPONENTS' offered and handle-time sums read — from contact_state, as the
 * metric definitions (src/metrics/contacts-sql.ts) read contacts.
 */
const contactsOf = (to: string) => `
  SELECT contact_id, ifNull(any(channel), '') AS ch, assumeNotNull(min(queued_at)) AS queued_at,
    min(completed_at) IS NOT NULL AS is_handled,
    ifNull(any(talk_s), 0) AS talk, ifNull(any(hold_s), 0) AS hold, ifNull(any(wrap_s), 0) AS wrap
  FROM contact_state
  WHERE day >= toDate({from:DateTime64(3, 'UTC')}) - 1 AND day <= toDate(${to}) + ${LAG_DAYS}
    AND contact_id IN (
      SELECT contact_id FROM contact_events
      WHERE type = 'contact.queued' AND queue = {queue:String}
        AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < ${to})
  GROUP BY contact_id
  HAVING queued_at >= {from:DateTime64(3, 'UTC')} AND queued_at < ${to} AND ifNull(any(queue), '') = {queue:String}`;

/** Offered contacts per (channel, UTC half-hour) of contactsOf(`to`), as `interval_start` (DateTime). */
const offeredOf = (to: string) => `
  SELECT ch AS channel, toDateTime(intDiv(toUnixTimestamp64Milli(queued_at), 1800000) * 1800, 'UTC') AS interval_start,
    ${C.offered} AS actual
  FROM (${contactsOf(to)})
  GROUP BY channel, interval_start`;

export interface ActualRow {
  channel: string;
  slot_ms: number;
  offered: number;
  aht: number | null;
}

/** Offered contacts and AHT per UTC half-hour of queueing, [from, to), one queue. */
export async function actualRows(
  client: ClickHouseClient,
  queue: string,
  fromMs: number,
  toMs: number,
): Promise<ActualRow[]> {
  const out = await rows<{ channel: string; slot_ms: string; offered: string; handled: string; handle_s: number }>(
    client,
    `SELECT ch AS channel, intDiv(toUnixTimestamp64Milli(queued_at), 1800000) * 1800000 AS slot_ms, ${C.offered} AS offered,
            ${C.handled} AS handled, ${C.talk_s} + ${C.hold_s} + ${C.wrap_s} AS handle_s
     FROM (${contactsOf(`{to:DateTime64(3, 'UTC')}`)})
     GROUP BY channel, slot_ms ORDER BY channel, slot_ms`,
    { queue, from: chTime(fromMs), to: chTime(toMs) },
  );
  return out.map((r) => ({
    channel: r.channel,
    slot_ms: Number(r.slot_ms),
    offered: Number(r.offered),
    aht: Number(r.handled) > 0 ? Number(r.handle_s) / Number(r.handled) : null,
  }));
}

/** Time of the last queued contact of a queue (ms), or null. */
export async function lastQueuedMs(client: ClickHouseClient, queue: string): Promise<number | null> {
  const r = await rows<{ n: string; t: string }>(
    client,
    `SELECT count() AS n, toUnixTimestamp64Milli(max(occurred_at)) AS t FROM contact_events WHERE type = 'contact.queued' AND queue = {queue:String}`,
    { queue },
  );
  return r[0] && Number(r[0].n) > 0 ? Number(r[0].t) : null;
}

export interface AccuracyBucket {
  lead_days: number;
  intervals: number;
  runs: number;
  actual: number;
  forecast: number;
  abs_error: number;
}

/**
 * Forecast vs actual offered per half-hour, by lead time in whole days from each run's origin,
 * over every successful run of the queue and every interval before `untilMs` (actuals arrived).
 */
export async function accuracyBuckets(
  client: ClickHouseClient,
  queue: string,
  channel: string,
  untilMs: number,
): Promise<AccuracyBucket[]> {
  const first = await rows<{ n: string; o: string }>(
    client,
    `SELECT count() AS n, toUnixTimestamp(min(origin)) AS o FROM forecast_runs WHERE status = 'ok' AND queue = {queue:String}`,
    { queue },
  );
  if (!first[0] || Number(first[0].n) === 0) return [];
  const fromMs = Number(first[0].o) * 1000;
  const out = await rows<Record<string, string | number>>(
    client,
    `WITH
     runs AS (SELECT run_id, channel, any(origin) AS run_origin FROM forecast_runs
              WHERE status = 'ok' AND queue = {queue:String} AND ({channel:String} = '' OR channel = {channel:String})
                AND origin < toDateTime({until:DateTime64(3, 'UTC')}) GROUP BY run_id, channel),
     f AS (SELECT fc.run_id AS run_id, fc.channel AS channel, fc.interval_start AS interval_start, fc.volume AS volume,
                  intDiv(toUnixTimestamp(fc.interval_start) - toUnixTimestamp(runs.run_origin), 86400) AS lead
           FROM forecasts AS fc INNER JOIN runs ON fc.run_id = runs.run_id AND fc.channel = runs.channel
           WHERE fc.queue = {queue:String} AND fc.interval_start < toDateTime({until:DateTime64(3, 'UTC')})),
     a AS (${offeredOf(`{until:DateTime64(3, 'UTC')}`)})
     SELECT f.lead AS lead_days, count() AS intervals, uniqExact(f.run_id) AS runs, sum(a.actual) AS actual, sum(f.volume) AS forecast,
            sum(abs(f.volume - a.actual)) AS abs_error
     FROM f LEFT JOIN a ON f.channel = a.channel AND f.interval_start = a.interval_start
     GROUP BY lead_days ORDER BY lead_days`,
    { queue, channel, from: chTime(fromMs), until: chTime(untilMs) },
  );
  return out.map((r) => ({
    lead_days: Number(r.lead_days),
    intervals: Number(r.intervals),
    runs: Number(r.runs),
    actual: Number(r.actual),
    forecast: Number(r.forecast),
    abs_error: Number(r.abs_error),
  }));
}

export interface AccuracyRow {
  lead_days: number;
  channel: string;
  interval_ms: number;
  forecast: number;
  actual: number;
}

/**
 * Forecast vs actual per half-hour, like `accuracyBuckets` but row by row, only for half-hours
 * in [fromMs, toMs) (the span of a queue's edits), so edited forecasts can be scored beside raw.
 */
export async function accuracyRows(
  client: ClickHouseClient,
  queue: string,
  channel: string,
  fromMs: number,
  toMs: number,
): Promise<AccuracyRow[]> {
  const out = await rows<Record<string, string | number>>(
    client,
    `WITH
     runs AS (SELECT run_id, channel, any(origin) AS run_origin FROM forecast_runs
              WHERE status = 'ok' AND queue = {queue:String} AND ({channel:String} = '' OR channel = {channel:String})
                AND origin < toDateTime({to:DateTime64(3, 'UTC')}) GROUP BY run_id, channel),
     f AS (SELECT fc.channel AS channel, fc.interval_start AS interval_start, fc.volume AS volume,
                  intDiv(toUnixTimestamp(fc.interval_start) - toUnixTimestamp(runs.run_origin), 86400) AS lead
           FROM forecasts AS fc INNER JOIN runs ON fc.run_id = runs.run_id AND fc.channel = runs.channel
           WHERE fc.queue = {queue:String} AND fc.interval_start >= toDateTime({from:DateTime64(3, 'UTC')})
             AND fc.interval_start < toDateTime({to:DateTime64(3, 'UTC')})),
     a AS (${offeredOf(`{to:DateTime64(3, 'UTC')}`)})
     SELECT f.lead AS lead_days, f.channel AS channel, toUnixTimestamp(f.interval_start) AS t, f.volume AS forecast, a.actual AS actual
     FROM f LEFT JOIN a ON f.channel = a.channel AND f.interval_start = a.interval_start`,
    { queue, channel, from: chTime(fromMs), to: chTime(toMs) },
  );
  return out.map((r) => ({
    lead_days: Number(r.lead_days),
    channel: String(r.channel),
    interval_ms: Number(r.t) * 1000,
    forecast: Number(r.forecast),
    actual: Number(r.actual),
  }));
}
