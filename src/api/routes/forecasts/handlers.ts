// What the forecast routes answer, apart from HTTP: starting a run and its status, a run's
// half-hours with the planner's edits applied, accuracy by lead time (raw and edited), the edits
// themselves and the queue calendar. Dates without a time are the queue's local midnight.
import { BadRequest } from '../errors.js';
import { NotFound } from '../staffing/handlers.js';
import { parseTime } from '../params.js';
import type { ForecastRunner } from '../../../../forecasts/job/runner.js';
import { editedVolume, type Adjustment } from '../../../../forecasts/job/adjustments.js';
import {
  createEdit,
  deleteEdit,
  findRun,
  lastQueued,
  loadAccuracyBuckets,
  loadAccuracyRows,
  loadEdits,
  loadForecastRows,
  queueTz,
  readCalendar,
  writeCalendar,
  type ForecastData,
} from './data.js';
import type {
  AccuracyAnswer,
  AccuracyQuery,
  AdjustmentBody,
  AdjustmentView,
  AdjustmentsAnswer,
  CalendarAnswer,
  CalendarPutBody,
  ForecastAnswer,
  ForecastQuery,
  RunAnswer,
  RunBody,
  RunStatus,
} from './schemas.js';

const MAX_ROWS = 100_000;
const HALF_HOUR = 1_800_000;

export interface HandlerContext extends ForecastData {
  now: () => number;
  runner: ForecastRunner;
}

export const view = (a: Adjustment): AdjustmentView => ({
  id: a.id,
  queue: a.queue,
  channel: a.channel === '' ? null : a.channel,
  from: new Date(a.fromMs).toISOString(),
  to: new Date(a.toMs).toISOString(),
  kind: a.kind,
  value: a.value,
  reason: a.reason,
  created_at: new Date(a.createdAt).toISOString(),
  created_by: a.createdBy,
  deleted_at: a.deletedAt === null ? null : new Date(a.deletedAt).toISOString(),
  deleted_by: a.deletedBy,
});

/** Starts a run unless one is going; `started` says which. */
export function startRun(ctx: HandlerContext, body: RunBody): { answer: RunAnswer; started: boolean } {
  const { state, started } = ctx.runner.start({
    asOf: ctx.now(),
    ...(body.queues ? { queues: body.queues } : {}),
    ...(body.horizon_days ? { horizonDays: body.horizon_days } : {}),
  });
  return { answer: { run_id: state.runId, status: started ? 'started' : 'already_running' }, started };
}

export function runStatus(ctx: HandlerContext, runId: string): RunStatus {
  const s = ctx.runner.get(runId);
  if (!s) throw new NotFound(`no run ${runId} started by this instance`);
  return {
    run_id: s.runId,
    status: s.status,
    started_at: s.startedAt,
    ...(s.error ? { error: s.error } : {}),
    ...(s.result ? { origin: s.result.origin, series: s.result.series } : {}),
  };
}

export async function forecast(ctx: HandlerContext, q: ForecastQuery): Promise<ForecastAnswer> {
  const tz = q.queue ? await queueTz(ctx, q.queue, ctx.now()) : 'UTC';
  const from = parseTime('from', q.from, tz) ?? 0;
  const to = parseTime('to', q.to, tz, true) ?? Date.UTC(2200, 0, 1);
  if (to <= from) throw new BadRequest('to', 'must be after from');
  const run = await findRun(ctx, q.queue ?? '', q.run_id ?? '');
  if (!run)
    throw new NotFound(
      q.run_id
        ? `no successful run ${q.run_id}${q.queue ? ` for queue ${q.queue}` : ''}`
        : `no forecast yet${q.queue ? ` for queue ${q.queue}` : ''}: POST /v1/forecasts/run`,
    );
  const rows = await loadForecastRows(
    ctx,
    run.run_id,
    { queue: q.queue ?? '', channel: q.channel ?? '', fromMs: from, toMs: to },
    MAX_ROWS + 1,
  );
  const edits = new Map<string, Adjustment[]>();
  for (const queue of new Set(rows.map((r) => r.queue)))
    edits.set(
      queue,
      (await loadEdits(ctx, queue)).filter((a) => a.deletedAt === null),
    );
  return {
    run_id: run.run_id,
    origin: run.origin,
    rows: rows.slice(0, MAX_ROWS).map((r) => ({
      ...r,
      volume: editedVolume(r.volume, Date.parse(r.interval_start), r.channel, edits.get(r.queue)!),
      volume_raw: r.volume,
    })),
    truncated: rows.length > MAX_ROWS,
  };
}

export async function accuracy(ctx: HandlerContext, { queue, channel }: AccuracyQuery): Promise<AccuracyAnswer> {
  const last = await lastQueued(ctx, queue);
  // only half-hours that are over and that actuals have reached
  const until =
    last === null ? null : Math.min(Math.floor(ctx.now() / HALF_HOUR), Math.floor(last / HALF_HOUR)) * HALF_HOUR;
  const buckets = until === null ? [] : await loadAccuracyBuckets(ctx, queue, channel ?? '', until);
  // Edited beside raw: for the half-hours an edit covers, the forecast through the edits made
  // before the half-hour started; elsewhere edited = raw.
  const layers = (await loadEdits(ctx, queue)).filter(
    (a) => channel === undefined || a.channel === '' || a.channel === channel,
  );
  const edited = new Map<number, { forecast: number; abs: number; n: number }>();
  if (until !== null && layers.length > 0) {
    const lo = Math.min(...layers.map((a) => a.fromMs));
    const hi = Math.min(until, Math.max(...layers.map((a) => a.toMs)));
    const rows = hi > lo ? await loadAccuracyRows(ctx, queue, channel ?? '', lo, hi) : [];
    for (const r of rows) {
      const v = editedVolume(r.forecast, r.interval_ms, r.channel, layers, r.interval_ms);
      if (v === r.forecast) continue;
      const e = edited.get(r.lead_days) ?? { forecast: 0, abs: 0, n: 0 };
      e.forecast += v - r.forecast;
      e.abs += Math.abs(v - r.actual) - Math.abs(r.forecast - r.actual);
      e.n += 1;
      edited.set(r.lead_days, e);
    }
  }
  return {
    queue,
    channel: channel ?? null,
    actuals_until: until === null ? null : new Date(until).toISOString(),
    buckets: buckets.map((b) => {
      const e = edited.get(b.lead_days) ?? { forecast: 0, abs: 0, n: 0 };
      const absEdited = b.abs_error + e.abs;
      return {
        ...b,
        wape: b.actual > 0 ? b.abs_error / b.actual : null,
        forecast_edited: b.forecast + e.forecast,
        abs_error_edited: absEdited,
        wape_edited: b.actual > 0 ? absEdited / b.actual : null,
        edited_intervals: e.n,
      };
    }),
  };
}

export async function addEdit(ctx: HandlerContext, b: AdjustmentBody, who: string): Promise<AdjustmentView> {
  if ((b.percent === undefined) === (b.absolute === undefined))
    throw new BadRequest(b.percent === undefined ? 'percent' : 'absolute', 'give exactly one of percent and absolute');
  const tz = await queueTz(ctx, b.queue, ctx.now());
  const from = parseTime('from', b.from, tz)!;
  const to = parseTime('to', b.to, tz, true)!;
  if (to <= from) throw new BadRequest('to', 'must be after from');
  if (from % HALF_HOUR !== 0 || to % HALF_HOUR !== 0)
    throw new BadRequest(from % HALF_HOUR !== 0 ? 'from' : 'to', 'must be on the half-hour');
  const created = await createEdit(ctx, {
    queue: b.queue,
    channel: b.channel ?? '',
    fromMs: from,
    toMs: to,
    kind: b.percent !== undefined ? 'percent' : 'absolute',
    value: b.percent ?? b.absolute!,
    reason: b.reason,
    createdAt: ctx.now(),
    createdBy: who,
  });
  return view(created);
}

export async function listEdits(ctx: HandlerContext, queue: string): Promise<AdjustmentsAnswer> {
  return { queue, adjustments: (await loadEdits(ctx, queue)).map(view) };
}

export async function removeEdit(ctx: HandlerContext, id: string, who: string): Promise<AdjustmentView> {
  const removed = await deleteEdit(ctx, id, who, ctx.now());
  if (!removed) throw new NotFound(`no forecast edit ${id}`);
  return view(removed);
}

export async function calendar(ctx: HandlerContext, queue: string): Promise<CalendarAnswer> {
  return { queue, days: await readCalendar(ctx, queue) };
}

export async function putCalendar(
  ctx: HandlerContext,
  queue: string,
  body: CalendarPutBody,
  who: string,
): Promise<CalendarAnswer> {
  for (const [i, d] of body.days.entries())
    if (!Number.isFinite(Date.parse(`${d.day}T00:00:00Z`)))
      throw new BadRequest(`days.${i}.day`, `"${d.day}" is not a date`);
  return { queue, days: await writeCalendar(ctx, queue, body.days, who, ctx.now()) };
}
