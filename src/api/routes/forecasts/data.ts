// Store access of the forecast routes: runs and their half-hours, accuracy against actuals, the
// planner's edits and the queue calendar. Every statement is parameterised and runs under the
// request's deadline (fromStore: a slow store answers 503, an answered request drops its work).
import type { ClickHouseClient } from '@clickhouse/client';
import { fromStore } from '../errors.js';
import {
  accuracyBuckets,
  accuracyRows,
  forecastRows,
  lastQueuedMs,
  latestRun,
  type AccuracyBucket,
  type AccuracyRow,
  type ForecastRow,
  type RunRef,
} from '../../../../forecasts/job/read.js';
import {
  addAdjustment,
  loadAdjustments,
  removeAdjustment,
  type Adjustment,
} from '../../../../forecasts/job/adjustments.js';
import { loadCalendar, saveCalendar, type CalendarDay } from '../../../../forecasts/job/calendar.js';
import { queueCalendar } from '../staffing/data.js';

export interface ForecastData {
  client: ClickHouseClient;
  timeoutMs: number;
}

export interface RowFilter {
  queue: string;
  channel: string;
  fromMs: number;
  toMs: number;
}

/** The queue's time zone in force at `nowMs` (UTC when the queue has no settings). */
export async function queueTz(d: ForecastData, queue: string, nowMs: number): Promise<string> {
  return (await queueCalendar(d, queue, nowMs)).tz;
}

/** The latest successful run of the queue ('' = any queue), or the run `runId` when given. */
export function findRun(d: ForecastData, queue: string, runId: string): Promise<RunRef | null> {
  return fromStore(() => latestRun(d.client, queue, runId), d.timeoutMs);
}

export function loadForecastRows(d: ForecastData, runId: string, f: RowFilter, limit: number): Promise<ForecastRow[]> {
  return fromStore(() => forecastRows(d.client, runId, f, limit), d.timeoutMs);
}

/** Every edit of the queue in the order they apply, removed ones included. */
export function loadEdits(d: ForecastData, queue: string): Promise<Adjustment[]> {
  return fromStore(() => loadAdjustments(d.client, queue), d.timeoutMs);
}

export function lastQueued(d: ForecastData, queue: string): Promise<number | null> {
  return fromStore(() => lastQueuedMs(d.client, queue), d.timeoutMs);
}

export function loadAccuracyBuckets(
  d: ForecastData,
  queue: string,
  channel: string,
  untilMs: number,
): Promise<AccuracyBucket[]> {
  return fromStore(() => accuracyBuckets(d.client, queue, channel, untilMs), d.timeoutMs);
}

export function loadAccuracyRows(
  d: ForecastData,
  queue: string,
  channel: string,
  fromMs: number,
  toMs: number,
): Promise<AccuracyRow[]> {
  return fromStore(() => accuracyRows(d.client, queue, channel, fromMs, toMs), d.timeoutMs);
}

export function createEdit(
  d: ForecastData,
  a: Omit<Adjustment, 'id' | 'deletedAt' | 'deletedBy'>,
): Promise<Adjustment> {
  return fromStore(() => addAdjustment(d.client, a), d.timeoutMs);
}

/** null when there is no such edit. */
export function deleteEdit(d: ForecastData, id: string, who: string, nowMs: number): Promise<Adjustment | null> {
  return fromStore(() => removeAdjustment(d.client, id, who, nowMs), d.timeoutMs);
}

export async function readCalendar(d: ForecastData, queue: string): Promise<CalendarDay[]> {
  return (await fromStore(() => loadCalendar(d.client, [queue]), d.timeoutMs)).get(queue)!;
}

export function writeCalendar(
  d: ForecastData,
  queue: string,
  days: Parameters<typeof saveCalendar>[2],
  who: string,
  nowMs: number,
): Promise<CalendarDay[]> {
  return fromStore(() => saveCalendar(d.client, queue, days, who, nowMs), d.timeoutMs);
}
