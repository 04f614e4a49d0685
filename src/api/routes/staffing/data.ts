// Store access of the staffing and schedule routes: the run and its requirement rows, the
// queue's calendar settings (time zone, opening hours), actual offered per half-hour, and the
// stored shift plans. Every statement is parameterised and runs under the request's deadline.
import type { ClickHouseClient } from '@clickhouse/client';
import { fromStore } from '../errors.js';
import {
  actualRows,
  chTime,
  latestRun,
  requirementRows,
  type ActualRow,
  type RequirementDbRow,
  type RunRef,
} from '../../../../forecasts/job/read.js';
import { currentVersion, loadVersions } from '../../../metrics/settings.js';
import { loadAdjustments, type Adjustment } from '../../../../forecasts/job/adjustments.js';
import type { OpeningHours } from '../../../staffing/local.js';

export interface StaffingData {
  client: ClickHouseClient;
  timeoutMs: number;
}

export interface QueueCalendar {
  tz: string;
  openingHours: OpeningHours;
}

/** The queue's time zone and opening hours in force at `nowMs` (defaults: UTC, always open). */
export async function queueCalendar(d: StaffingData, queue: string, nowMs: number): Promise<QueueCalendar> {
  const versions = await fromStore(() => loadVersions(d.client, [queue]), d.timeoutMs);
  const v = currentVersion(versions.get(queue)!, nowMs);
  return { tz: v.settings.time_zone, openingHours: v.settings.opening_hours as OpeningHours };
}

/** The latest successful run covering the queue (or `runId`) and its requirement rows in [fromMs, toMs). */
export async function loadRequirements(
  d: StaffingData,
  queue: string,
  channel: string,
  fromMs: number,
  toMs: number,
  runId = '',
): Promise<{ run: RunRef; rows: RequirementDbRow[] } | null> {
  const run = await fromStore(() => latestRun(d.client, queue, runId), d.timeoutMs);
  if (!run) return null;
  const rows = await fromStore(
    () => requirementRows(d.client, run.run_id, { queue, channel, fromMs, toMs }),
    d.timeoutMs,
  );
  return { run, rows };
}

export function loadActuals(d: StaffingData, queue: string, fromMs: number, toMs: number): Promise<ActualRow[]> {
  return fromStore(() => actualRows(d.client, queue, fromMs, toMs), d.timeoutMs);
}

export interface StoredPlan {
  channel: string;
  run_id: string;
  solved_at: string;
  plan: string;
}

export async function readPlan(d: StaffingData, queue: string, week: string): Promise<StoredPlan | undefined> {
  const rows = await fromStore(
    async () =>
      (
        await d.client.query({
          query: `SELECT channel, run_id, toString(solved_at) AS solved_at, plan FROM shift_plans FINAL WHERE queue = {queue:String} AND week = {week:Date} LIMIT 1`,
          query_params: { queue, week },
          format: 'JSONEachRow',
        })
      ).json<StoredPlan>(),
    d.timeoutMs,
  );
  return rows[0];
}

export async function writePlan(
  d: StaffingData,
  row: {
    queue: string;
    week: string;
    channel: string;
    run_id: string;
    solvedAtMs: number;
    patterns: unknown;
    plan: unknown;
  },
): Promise<void> {
  await fromStore(
    () =>
      d.client.insert({
        table: 'shift_plans',
        format: 'JSONEachRow',
        values: [
          {
            queue: row.queue,
            week: row.week,
            channel: row.channel,
            run_id: row.run_id,
            solved_at: chTime(row.solvedAtMs),
            patterns: JSON.stringify(row.patterns),
            plan: JSON.stringify(row.plan),
          },
        ],
      }),
    d.timeoutMs,
  );
}

/** The queue's forecast edits (removed ones too), in the order they were made. */
export function loadEdits(d: StaffingData, queue: string): Promise<Adjustment[]> {
  return fromStore(() => loadAdjustments(d.client, queue), d.timeoutMs);
}
