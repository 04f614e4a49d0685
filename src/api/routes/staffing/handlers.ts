// What the staffing and schedule routes answer, apart from HTTP: requirements of the latest run,
// what-if, the intraday reforecast and shift plans. Days and weeks are the queue's local days
// (its time zone from the queue settings; DST days have 46 or 50 half-hours), and half-hours
// outside its opening hours are never scheduled.
import { BadRequest, fromStore } from '../errors.js';
import { loadInputVersions, saveInputs } from '../../../../forecasts/job/inputs.js';
import { inputsAt } from '../../../staffing/inputs.js';
import { parseTime } from '../params.js';
import type { RequirementDbRow } from '../../../../forecasts/job/read.js';
import { editedVolume, type Adjustment } from '../../../../forecasts/job/adjustments.js';
import {
  computeRequirements,
  grossUp,
  reforecastIntraday,
  whatIf,
  schedule,
  type QueueSettings,
} from '../../../staffing/index.js';
import { localGrid, localDate, midnightOf, nextLocalDay, openMask, startOfLocalDay } from '../../../staffing/local.js';
import { localIso } from '../../../metrics/tz.js';
import {
  loadActuals,
  loadEdits,
  loadRequirements as loadRawRequirements,
  queueCalendar,
  readPlan,
  writePlan,
  type QueueCalendar,
  type StaffingData,
} from './data.js';
import type {
  InputsAnswer,
  InputsPutBody,
  IntradayAnswer,
  IntradayQuery,
  PlanAnswer,
  ScheduleQuery,
  SolveBody,
  StaffingAnswer,
  StaffingQuery,
  WhatIfAnswer,
  WhatIfBody,
} from './schemas.js';

const HALF_HOUR = 1_800_000;

/** Answered 404 by the error handler (its statusCode), with the message as `error`. */
export class NotFound extends Error {
  readonly statusCode = 404;
}

export interface HandlerContext extends StaffingData {
  now: () => number;
}

export const settingsOf = (r: RequirementDbRow): QueueSettings => ({
  serviceLevel: r.sl_target,
  threshold: r.threshold_s,
  maxOccupancy: r.max_occupancy,
  shrinkage: r.shrinkage,
  patience: r.patience_s,
  ...(r.concurrency > 1 ? { concurrency: r.concurrency } : {}),
});

export function byChannel(rows: RequirementDbRow[]): Map<string, RequirementDbRow[]> {
  const m = new Map<string, RequirementDbRow[]>();
  for (const r of rows) {
    const list = m.get(r.channel);
    if (list) list.push(r);
    else m.set(r.channel, [r]);
  }
  return m;
}

export type EditedRow = RequirementDbRow & { volume_raw: number };

/**
 * Requirement rows on the edited forecast: each half-hour's volume through the edits in force
 * (forecasts/job/adjustments.ts), re-sized with the settings and shrinkage the run stored where
 * an edit changed it. A half-hour without a forecast AHT (nothing forecast, e.g. closed) keeps 0 agents.
 */
export function followEdits(rows: RequirementDbRow[], layers: Adjustment[]): EditedRow[] {
  const live = layers.filter((a) => a.deletedAt === null);
  return rows.map((r) => {
    const volume = live.length ? editedVolume(r.volume, Date.parse(r.interval_start), r.channel, live) : r.volume;
    if (volume === r.volume || !(r.aht > 0)) return { ...r, volume_raw: r.volume };
    const settings = settingsOf(r);
    const [x] = computeRequirements([{ interval_start: r.interval_start, volume, aht: r.aht }], settings);
    const [c] = computeRequirements([{ interval_start: r.interval_start, volume, aht: r.aht }], {
      ...settings,
      patience: null,
    });
    return {
      ...r,
      volume,
      volume_raw: r.volume,
      required: x!.required,
      scheduled_needed: x!.scheduled_needed,
      expected_sl: x!.expected_sl,
      asa: x!.asa,
      occupancy: x!.occupancy,
      abandon: x!.abandon,
      target_met: x!.target_met,
      erlang_c_required: c!.required,
    };
  });
}

/** The run's requirement rows in [fromMs, toMs), following the queue's forecast edits. */
async function loadRequirements(
  ctx: HandlerContext,
  queue: string,
  channel: string,
  fromMs: number,
  toMs: number,
  runId = '',
): Promise<{ run: { run_id: string; origin: string }; rows: EditedRow[] } | null> {
  const got = await loadRawRequirements(ctx, queue, channel, fromMs, toMs, runId);
  if (!got) return null;
  return { run: got.run, rows: followEdits(got.rows, await loadEdits(ctx, queue)) };
}

/** [from, to) from user text in the queue's zone: a date is local midnight; a date-only `to` includes its day. */
function range(cal: QueueCalendar, from?: string, to?: string): readonly [number, number] {
  const f = parseTime('from', from, cal.tz) ?? 0;
  const t = parseTime('to', to, cal.tz, true) ?? Date.UTC(2200, 0, 1);
  if (t <= f) throw new BadRequest('to', 'must be after from');
  return [f, t];
}

/** The local midnight starting Monday `text` (YYYY-MM-DD) in the queue's zone. */
export function weekStart(field: string, text: string, tz: string): number {
  const utcDate = Date.parse(`${text}T00:00:00Z`);
  if (!Number.isFinite(utcDate)) throw new BadRequest(field, `"${text}" is not a valid date`);
  if (new Date(utcDate).getUTCDay() !== 1) throw new BadRequest(field, `${text} is not a Monday`);
  return midnightOf(text, tz);
}

export async function staffing(ctx: HandlerContext, q: StaffingQuery): Promise<StaffingAnswer> {
  const cal = await queueCalendar(ctx, q.queue, ctx.now());
  const [from, to] = range(cal, q.from, q.to);
  const got = await loadRequirements(ctx, q.queue, q.channel ?? '', from, to, q.run_id);
  if (!got) throw new NotFound(`no forecast run for queue ${q.queue}: POST /v1/forecasts/run`);
  const settings = [...byChannel(got.rows)].map(([channel, rs]) => ({
    channel,
    model: rs[0]!.model,
    threshold_s: rs[0]!.threshold_s,
    sl_target: rs[0]!.sl_target,
    max_occupancy: rs[0]!.max_occupancy,
    shrinkage: rs[0]!.shrinkage,
    patience_s: rs[0]!.patience_s,
    concurrency: rs[0]!.concurrency,
  }));
  return {
    run_id: got.run.run_id,
    queue: q.queue,
    time_zone: cal.tz,
    settings,
    rows: got.rows.map((r) => ({
      channel: r.channel,
      interval_start: r.interval_start,
      local_start: localIso(Date.parse(r.interval_start), cal.tz),
      volume: r.volume,
      volume_raw: r.volume_raw,
      aht: r.aht,
      required: r.required,
      scheduled_needed: r.scheduled_needed,
      expected_sl: r.expected_sl,
      asa: r.asa,
      occupancy: r.occupancy,
      abandon: r.abandon,
      target_met: r.target_met,
      model: r.model,
      shrinkage: r.shrinkage,
      erlang_c_required: r.erlang_c_required,
    })),
  };
}

export async function whatIfAnswer(ctx: HandlerContext, b: WhatIfBody): Promise<WhatIfAnswer> {
  const cal = await queueCalendar(ctx, b.queue, ctx.now());
  const [from, to] = range(cal, b.from, b.to);
  const got = await loadRequirements(ctx, b.queue, b.channel ?? '', from, to);
  if (!got || got.rows.length === 0) throw new NotFound(`no staffing requirements for queue ${b.queue} in that range`);
  const channels = [...byChannel(got.rows)].map(([channel, rs]) => {
    const r = whatIf(
      rs.map((x) => ({ interval_start: x.interval_start, volume: x.volume, aht: x.aht > 0 ? x.aht : 1 })),
      settingsOf(rs[0]!),
      {
        ...(b.volume_pct !== undefined ? { volumePct: b.volume_pct } : {}),
        ...(b.aht_pct !== undefined ? { ahtPct: b.aht_pct } : {}),
        ...(b.aht_seconds !== undefined ? { ahtSeconds: b.aht_seconds } : {}),
        ...(b.sl_target !== undefined ? { serviceLevel: b.sl_target } : {}),
        ...(b.threshold_s !== undefined ? { threshold: b.threshold_s } : {}),
        ...(b.asa_s !== undefined ? { asa: b.asa_s } : {}),
        ...(b.shrinkage !== undefined ? { shrinkage: b.shrinkage } : {}),
        ...(b.max_occupancy !== undefined ? { maxOccupancy: b.max_occupancy } : {}),
      },
    );
    return {
      channel,
      baseline: r.baseline.summary,
      scenario: r.scenario.summary,
      delta: r.delta,
      rows: r.scenario.rows.map((x, i) => ({
        interval_start: x.interval_start,
        volume: x.volume,
        aht: x.aht,
        required: x.required,
        // a scenario shrinkage applies everywhere; otherwise each half-hour's own, as the run sized it
        scheduled_needed: b.shrinkage !== undefined ? x.scheduled_needed : grossUp(x.required, rs[i]!.shrinkage),
        expected_sl: x.expected_sl,
        baseline_required: r.baseline.rows[i]!.required,
      })),
    };
  });
  return { run_id: got.run.run_id, queue: b.queue, channels };
}

export async function intraday(ctx: HandlerContext, q: IntradayQuery): Promise<IntradayAnswer> {
  const t = ctx.now();
  const cal = await queueCalendar(ctx, q.queue, t);
  const day = startOfLocalDay(t, cal.tz);
  const dayEnd = nextLocalDay(day, cal.tz);
  const got = await loadRequirements(ctx, q.queue, q.channel ?? '', day, dayEnd);
  if (!got || got.rows.length === 0)
    throw new NotFound(`no forecast for queue ${q.queue} today (${localDate(day, cal.tz)}, ${cal.tz})`);
  const completedUntil = Math.floor(t / HALF_HOUR) * HALF_HOUR;
  const actual = await loadActuals(ctx, q.queue, day, completedUntil);
  const channels = [...byChannel(got.rows)].map(([channel, rs]) => {
    const seen = new Map(actual.filter((a) => a.channel === channel).map((a) => [a.slot_ms, a]));
    const actuals: { interval_start: string; volume: number; aht: number | null }[] = [];
    for (let s = day; s < completedUntil; s += HALF_HOUR) {
      const a = seen.get(s);
      actuals.push({
        interval_start: new Date(s).toISOString().replace('.000Z', 'Z'),
        volume: a?.offered ?? 0,
        aht: a?.aht ?? null,
      });
    }
    const forecast = rs.map((x) => ({
      interval_start: x.interval_start,
      volume: x.volume,
      aht: x.aht > 0 ? x.aht : 1,
    }));
    const planned = new Map(rs.map((x) => [x.interval_start, x.required]));
    const shrinkage = new Map(rs.map((x) => [x.interval_start, x.shrinkage]));
    const r = reforecastIntraday({ forecast, actuals, settings: settingsOf(rs[0]!) });
    return {
      channel,
      completed_intervals: r.completedIntervals,
      volume_ratio: r.volumeRatio,
      aht_ratio: r.ahtRatio,
      weight: r.weight,
      volume_factor: r.volumeFactor,
      aht_factor: r.ahtFactor,
      remaining: r.remaining.map((x) => ({
        interval_start: x.interval_start,
        volume: x.volume,
        aht: x.aht,
        required: x.required,
        // shrinkage of the half-hour as the run sized it (it may vary by half-hour of the week)
        scheduled_needed: grossUp(x.required, shrinkage.get(x.interval_start) ?? rs[0]!.shrinkage),
        expected_sl: x.expected_sl,
        planned_required: planned.get(x.interval_start) ?? 0,
      })),
    };
  });
  return {
    run_id: got.run.run_id,
    queue: q.queue,
    day: localDate(day, cal.tz),
    time_zone: cal.tz,
    day_start: new Date(day).toISOString(),
    day_half_hours: (dayEnd - day) / HALF_HOUR,
    as_of: new Date(t).toISOString(),
    channels,
  };
}

export async function readSchedule(ctx: HandlerContext, q: ScheduleQuery): Promise<PlanAnswer> {
  const cal = await queueCalendar(ctx, q.queue, ctx.now());
  weekStart('week', q.week, cal.tz);
  const r = await readPlan(ctx, q.queue, q.week);
  if (!r) throw new NotFound(`no plan for queue ${q.queue} week ${q.week}: POST /v1/schedule/solve`);
  return {
    queue: q.queue,
    week: q.week,
    time_zone: cal.tz,
    channel: r.channel === '' ? null : r.channel,
    run_id: r.run_id,
    solved_at: `${r.solved_at.replace(' ', 'T')}Z`,
    requirement: 'scheduled_needed',
    plan: JSON.parse(r.plan) as Record<string, unknown>,
  };
}

/**
 * The week's requirement on the wall-clock grid of 7 × 48 local half-hours: Σ over channels per
 * real half-hour; the repeated hour of a fall-back day takes the larger of its two occurrences;
 * the skipped hour of a spring-forward day requires 0. Closed half-hours are marked.
 */
export function weekGrid(
  rows: RequirementDbRow[],
  startMs: number,
  cal: QueueCalendar,
): { required: Int32Array; closed: Uint8Array } {
  const grid = localGrid(startMs, 7, cal.tz);
  const slot = new Map<number, number>();
  grid.utc.forEach((u, i) => slot.set(u, i));
  const perReal = new Int32Array(grid.utc.length);
  for (const r of rows) {
    const i = slot.get(Date.parse(r.interval_start));
    if (i !== undefined) perReal[i] = perReal[i]! + r.scheduled_needed;
  }
  const required = new Int32Array(7 * 48);
  const open = openMask(grid, cal.openingHours);
  const closed = new Uint8Array(7 * 48);
  grid.index.forEach((ix, i) => {
    required[ix] = Math.max(required[ix]!, open[i] ? perReal[i]! : 0);
    if (!open[i]) closed[ix] = 1;
  });
  return { required, closed };
}

export async function solveSchedule(ctx: HandlerContext, b: SolveBody): Promise<PlanAnswer> {
  const cal = await queueCalendar(ctx, b.queue, ctx.now());
  const start = weekStart('week', b.week, cal.tz);
  let config: schedule.PatternsConfig;
  try {
    config = schedule.parsePatterns(b.patterns);
  } catch (error) {
    if (error instanceof schedule.FieldError)
      throw new BadRequest(error.field === 'patterns.json' ? 'patterns' : `patterns.${error.field}`, error.message);
    throw error;
  }
  const end = localGrid(start, 7, cal.tz).endMs;
  const got = await loadRequirements(ctx, b.queue, b.channel ?? '', start, end, b.run_id);
  if (!got || got.rows.length === 0)
    throw new NotFound(`no staffing requirements for queue ${b.queue} in the week of ${b.week}`);
  const { required, closed } = weekGrid(got.rows, start, cal);
  let plan: schedule.SchedulePlan;
  try {
    plan = await schedule.recommendShifts(
      { originMinutes: Date.parse(`${b.week}T00:00:00Z`) / 60_000, days: 7, required, closed },
      config,
    );
  } catch (error) {
    if (error instanceof schedule.FieldError) throw new BadRequest(`patterns.${error.field}`, error.message);
    if (error instanceof RangeError) throw new BadRequest('patterns', error.message);
    throw error;
  }
  const solvedAt = ctx.now();
  await writePlan(ctx, {
    queue: b.queue,
    week: b.week,
    channel: b.channel ?? '',
    run_id: got.run.run_id,
    solvedAtMs: solvedAt,
    patterns: b.patterns,
    plan,
  });
  return {
    queue: b.queue,
    week: b.week,
    time_zone: cal.tz,
    channel: b.channel ?? null,
    run_id: got.run.run_id,
    solved_at: new Date(solvedAt).toISOString(),
    requirement: 'scheduled_needed',
    plan: plan as unknown as Record<string, unknown>,
  };
}

export async function getInputs(ctx: HandlerContext, queue: string): Promise<InputsAnswer> {
  const versions = (await fromStore(() => loadInputVersions(ctx.client, [queue]), ctx.timeoutMs)).get(queue)!;
  return { queue, current: inputsAt(versions, ctx.now()), versions };
}

export async function putInputs(
  ctx: HandlerContext,
  queue: string,
  body: InputsPutBody,
  who: string,
): Promise<InputsAnswer> {
  const { effective_from, ...patch } = body;
  const now = ctx.now();
  const effective = parseTime('effective_from', effective_from, 'UTC') ?? now;
  await fromStore(() => saveInputs(ctx.client, queue, patch, who, effective, now), ctx.timeoutMs);
  return getInputs(ctx, queue);
}
