// Every ClickHouse panel query of every dashboard, expanded as Grafana and the ClickHouse plugin
// expand it, runs on the embedded engine over a simulated week (rolled up, as a running service
// keeps it) and returns the columns its panel reads; a few figures are checked against the API's
// own functions (GET /v1/metrics, /v1/forecasts/accuracy, the wallboard snapshot) and against
// hand-made planning rows. test/dashboards/rollup-panels.test.ts covers the rollup/live split.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { testApp } from '../support/app.js';
import { buildAll } from '../../dashboards/index.js';
import type { ColumnKind, RecordedQuery } from '../../dashboards/lib/panels.js';
import { DEFAULTS } from '../../dashboards/lib/contacts-sql.js';
import { QUEUE_TOTALS_SQL, SL_BY_HALF_HOUR_SQL, WEEKDAY_HEATMAP_SQL } from '../../dashboards/service-level.js';
import { BY_QUEUE_SQL } from '../../dashboards/customer-experience.js';
import { ACCURACY_SQL } from '../../dashboards/forecast.js';
import { AGENTS_SQL, WAITING_SQL } from '../../dashboards/live.js';
import { PLAN_COVERAGE_SQL } from '../../dashboards/staffing.js';
import { DEAD_LETTERS_SQL } from '../../dashboards/pipeline.js';
import { queryMetrics } from '../../src/metrics/query.js';
import { queueSnapshot } from '../../src/metrics/realtime.js';
import { DEFAULT_SETTINGS, saveSettings } from '../../src/metrics/settings.js';
import { reroll } from '../../src/metrics/rollup.js';
import { accuracyBuckets } from '../../forecasts/job/read.js';
import { expandPanelSql, type ExpandContext } from './expand.js';
import { DAY_MS, DEAD_LETTER_ERRORS, START_MS, seedEvents, seedPlanning } from './seed.js';

const ALL_CHANNELS = ['voice', 'chat', 'email', 'messaging'];
const WEEK = { fromMs: START_MS, toMs: START_MS + 7 * DAY_MS };
const TUESDAY = { fromMs: START_MS + DAY_MS, toMs: START_MS + 2 * DAY_MS };
const THURSDAY = { fromMs: START_MS + 3 * DAY_MS, toMs: START_MS + 4 * DAY_MS };
/** The wallboard at Saturday 14th, 12:00 UTC (run-b, the latest forecast, covers it). */
const LIVE_NOW = START_MS + 5 * DAY_MS + 12 * 3_600_000;

let t: TempStore;
let nowMs: number;

beforeAll(async () => {
  t = await openTempStore();
  nowMs = Date.now();
  await seedEvents(t.store);
  await seedPlanning(t.store, nowMs);
  // tech-support changes threshold and formula from Wednesday: both dashboards and API must switch there.
  await saveSettings(
    t.store.client,
    'tech-support',
    { threshold_s: 30, sl_formula: 'answered_within_t_over_answered', sl_target: 0.9 },
    'test',
    START_MS + 2 * DAY_MS,
  );
  // The week is settled: the contact panels read it from the rollup, as a running service keeps it.
  await reroll(t.store.client, { now: nowMs });
});
afterAll(async () => t?.cleanup());

interface Result {
  meta: { name: string; type: string }[];
  data: Record<string, unknown>[];
}

async function run(sql: string, ctx: Partial<ExpandContext> & { fromMs: number; toMs: number }): Promise<Result> {
  const full: ExpandContext = {
    intervalMs: 1_800_000,
    ...ctx,
    variables: { queue: ['billing', 'tech-support'], channel: ALL_CHANNELS, tz: 'UTC', ...ctx.variables },
  };
  const answer = await t.store.client.query({ query: expandPanelSql(sql, full), format: 'JSON' });
  const json = await answer.json<Record<string, unknown>>();
  return { meta: json.meta as Result['meta'], data: json.data as Record<string, unknown>[] };
}

function kindOf(type: string): ColumnKind | 'other' {
  const bare = type
    .replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2')
    .replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2');
  if (/^(Date|DateTime)/.test(bare)) return 'time';
  if (/^(U?Int\d+|Float\d+|Decimal|Bool)/.test(bare)) return 'number';
  if (/^(String|FixedString)/.test(bare)) return 'string';
  return 'other';
}

/** The range and variables each dashboard is exercised with (where the seeded rows are). */
function contextFor(q: RecordedQuery): Partial<ExpandContext> & { fromMs: number; toMs: number } {
  switch (q.dashboard) {
    case 'callcast-live':
      // A repeated row gives each panel one queue (a scalar, not a list).
      return { fromMs: LIVE_NOW - 12 * 3_600_000, toMs: LIVE_NOW, variables: { queue: 'billing' } };
    case 'callcast-pipeline':
      return { fromMs: nowMs - 3_600_000, toMs: nowMs + 60_000, intervalMs: 60_000 };
    default:
      return WEEK;
  }
}

const num = (v: unknown) => Number(v);

describe('every ClickHouse panel query', () => {
  const queries = buildAll().flatMap((b) => b.queries);

  it('covers all six dashboards', () => {
    expect(new Set(queries.map((q) => q.dashboard))).toEqual(
      new Set([
        'callcast-live',
        'callcast-service-level',
        'callcast-customer-experience',
        'callcast-forecast',
        'callcast-staffing',
        'callcast-pipeline',
      ]),
    );
    expect(queries.length).toBeGreaterThanOrEqual(25);
  });

  it.each(queries.map((q) => [`${q.dashboard} · ${q.panel} · ${q.refId}`, q] as const))(
    '%s returns its columns and rows',
    async (_name, q) => {
      const result = await run(q.sql, contextFor(q));
      expect(result.meta.map((m) => m.name)).toEqual(Object.keys(q.columns));
      expect(Object.fromEntries(result.meta.map((m) => [m.name, kindOf(m.type)]))).toEqual(q.columns);
      expect(result.data.length).toBeGreaterThan(0);
      // A time series must come back in time order for Grafana's long-to-wide pivot.
      if (q.format === 'timeseries') {
        const times = result.data.map((r) => String(r.time));
        expect([...times].sort()).toEqual(times);
      }
    },
  );
});

describe('figures match the API', () => {
  it('uses the same default settings as the service', () => {
    expect(DEFAULTS).toEqual({
      threshold_s: DEFAULT_SETTINGS.threshold_s,
      sl_target: DEFAULT_SETTINGS.sl_target,
      short_abandon_s: DEFAULT_SETTINGS.short_abandon_s,
      fcr_window_days: DEFAULT_SETTINGS.fcr_window_days,
      sl_formula: DEFAULT_SETTINGS.sl_formula,
    });
  });

  it.each([
    ['billing', TUESDAY, 'answered_within_t_over_offered', 0.8],
    ['tech-support', TUESDAY, 'answered_within_t_over_offered', 0.8],
    // After the settings change: T = 30 s and answered-within-T ÷ answered.
    ['tech-support', THURSDAY, 'answered_within_t_over_answered', 0.9],
  ] as const)('queue totals of %s on one day equal GET /v1/metrics', async (queue, day, formula, target) => {
    const api = await queryMetrics(t.store.client, {
      queue,
      from: day.fromMs,
      to: day.toMs,
      interval: '1d',
      tz: 'UTC',
      now: Date.now(),
    });
    const { data } = await run(QUEUE_TOTALS_SQL, { ...day, variables: { queue: [queue] } });
    expect(data).toHaveLength(1);
    const row = data[0]!;
    const c = api.total.counts;
    expect(c.offered).toBeGreaterThan(50);
    expect(row.formula).toBe(formula);
    expect(api.total.service_level.formula).toBe(formula);
    expect(num(row.sl_target)).toBe(target);
    expect([
      num(row.offered),
      num(row.answered),
      num(row.answered_within_t),
      num(row.short_abandons),
      num(row.abandoned),
      num(row.handled),
    ]).toEqual([c.offered, c.answered, c.answered_within_t, c.short_abandons, c.abandoned, c.handled]);
    expect(num(row.service_level)).toBeCloseTo(api.total.service_level.value!, 12);
    expect(num(row.asa_s)).toBeCloseTo(api.total.asa_s!, 9);
    expect(num(row.aht_s)).toBeCloseTo(api.total.aht_s!, 9);
    expect(num(row.abandon_rate)).toBeCloseTo(api.total.abandon_rate!, 12);
  });

  it('the same queue-day through GET /v1/metrics itself', async () => {
    const { app } = await testApp(t.store);
    try {
      const res = await app.inject({
        url: `/v1/metrics?queue=billing&from=${TUESDAY.fromMs}&to=${TUESDAY.toMs}&interval=1d&tz=UTC`,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json() as {
        total: { counts: { offered: number }; service_level: { value: number }; abandon_rate: number };
      };
      const [row] = (await run(QUEUE_TOTALS_SQL, { ...TUESDAY, variables: { queue: ['billing'] } })).data;
      expect(num(row!.offered)).toBe(body.total.counts.offered);
      expect(num(row!.service_level)).toBeCloseTo(body.total.service_level.value, 12);
      expect(num(row!.abandon_rate)).toBeCloseTo(body.total.abandon_rate, 12);
    } finally {
      await app.close();
    }
  });

  it("service level per half-hour equals the API's half-hour rows", async () => {
    const api = await queryMetrics(t.store.client, {
      queue: 'billing',
      from: TUESDAY.fromMs,
      to: TUESDAY.toMs,
      interval: '30m',
      tz: 'UTC',
      now: Date.now(),
    });
    const { data } = await run(SL_BY_HALF_HOUR_SQL, { ...TUESDAY, variables: { queue: ['billing'] } });
    const apiRows = api.rows.filter((r) => r.counts.offered > 0);
    expect(data.map((r) => `${String(r.time).replace(' ', 'T')}.000Z`)).toEqual(apiRows.map((r) => r.start));
    data.forEach((r, i) => {
      const expected = apiRows[i]!.service_level.value;
      if (expected === null) expect(r.service_level).toBeNull();
      else expect(num(r.service_level)).toBeCloseTo(expected, 12);
    });
  });

  it('half-hours are cut in the tz variable like the API (Asia/Kathmandu, UTC+5:45)', async () => {
    // 06:00 Kathmandu on Tuesday to 06:00 on Wednesday: whole local half-hours at :15/:45 UTC.
    const range = { fromMs: TUESDAY.fromMs + 15 * 60_000, toMs: TUESDAY.toMs + 15 * 60_000 };
    const api = await queryMetrics(t.store.client, {
      queue: 'billing',
      from: range.fromMs,
      to: range.toMs,
      interval: '30m',
      tz: 'Asia/Kathmandu',
      now: Date.now(),
    });
    const { data } = await run(SL_BY_HALF_HOUR_SQL, {
      ...range,
      variables: { queue: ['billing'], tz: 'Asia/Kathmandu' },
    });
    const apiRows = api.rows.filter((r) => r.counts.offered > 0);
    expect(apiRows[0]!.start.slice(14, 16)).toMatch(/15|45/);
    expect(data.map((r) => `${String(r.time).replace(' ', 'T')}.000Z`)).toEqual(apiRows.map((r) => r.start));
    data.forEach((r, i) => {
      const expected = apiRows[i]!.service_level.value;
      if (expected === null) expect(r.service_level).toBeNull();
      else expect(num(r.service_level)).toBeCloseTo(expected, 12);
    });
  });

  it("customer figures of a queue-day equal the API's NPS, CSAT, survey FCR and repeat-contact FCR", async () => {
    const api = await queryMetrics(t.store.client, {
      queue: 'billing',
      from: TUESDAY.fromMs,
      to: TUESDAY.toMs,
      interval: '1d',
      tz: 'UTC',
      now: Date.now(),
    });
    const { data } = await run(BY_QUEUE_SQL, { ...TUESDAY, variables: { queue: ['billing'] } });
    const row = data[0]!;
    const c = api.total.counts;
    expect(c.nps_n).toBeGreaterThan(10);
    expect([
      num(row.offered),
      num(row.surveys_nps),
      num(row.surveys_csat),
      num(row.surveys_fcr),
      num(row.fcr_repeat_eligible),
    ]).toEqual([c.offered, c.nps_n, c.csat_n, c.fcr_n, c.fcr_repeat_eligible]);
    expect(num(row.nps)).toBeCloseTo(api.total.nps!, 9);
    expect(num(row.csat) * 100).toBeCloseTo(api.total.csat_pct!, 9);
    expect(num(row.fcr_survey)).toBeCloseTo(api.total.fcr_survey!, 12);
    expect(num(row.fcr_repeat)).toBeCloseTo(api.total.fcr_repeat!, 12);
  });

  it("weekday × half-hour means add up to the week's offered contacts (one of each weekday)", async () => {
    const api = await queryMetrics(t.store.client, {
      from: WEEK.fromMs,
      to: WEEK.toMs,
      interval: '1d',
      tz: 'UTC',
      now: Date.now(),
    });
    const { data } = await run(WEEKDAY_HEATMAP_SQL, WEEK);
    const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    const total = data.reduce((sum, r) => sum + days.reduce((s, d) => s + num(r[d]), 0), 0);
    expect(total).toBe(api.total.counts.offered);
    // Tuesday's column is Tuesday's offered.
    expect(data.reduce((s, r) => s + num(r.Tue), 0)).toBe(api.rows[1]!.counts.offered);
  });

  it('waiting now, longest wait and agents by state equal the wallboard snapshot', async () => {
    const snap = await queueSnapshot(t.store.client, 'billing', LIVE_NOW);
    const live = { fromMs: LIVE_NOW - 12 * 3_600_000, toMs: LIVE_NOW, variables: { queue: 'billing' } };
    const [waiting] = (await run(WAITING_SQL, live)).data;
    expect(num(waiting!.waiting_now)).toBe(snap.waiting_now);
    if (snap.longest_wait_s === null) expect(waiting!.longest_wait_s).toBeNull();
    else expect(num(waiting!.longest_wait_s)).toBeCloseTo(snap.longest_wait_s, 3);
    const [agents] = (await run(AGENTS_SQL, live)).data;
    expect(agents).toEqual({
      available: snap.agents.available,
      on_contact: snap.agents.on_contact,
      wrap_up: snap.agents.wrap_up,
      on_break: snap.agents.break,
      training: snap.agents.training,
      offline: snap.agents.offline,
    });
    expect(snap.agents.available + snap.agents.on_contact).toBeGreaterThan(0);
  });

  it('accuracy by lead time equals GET /v1/forecasts/accuracy for one series', async () => {
    const api = await accuracyBuckets(t.store.client, 'billing', 'voice', WEEK.toMs);
    const { data } = await run(ACCURACY_SQL, { ...WEEK, variables: { queue: ['billing'], channel: ['voice'] } });
    expect(
      data.map((r) => [
        num(r.lead_days),
        num(r.intervals),
        num(r.runs),
        num(r.actual),
        num(r.forecast),
        num(r.abs_error),
      ]),
    ).toEqual(api.map((b) => [b.lead_days, b.intervals, b.runs, b.actual, b.forecast, b.abs_error]));
    // Lead 0: Thursday of run-a (48 × 2) and Saturday of run-b (48 × 3).
    expect(data[0]).toMatchObject({ lead_days: 0, intervals: 96, runs: 2, forecast: 240 });
    expect(data.map((r) => num(r.lead_days))).toEqual([0, 1, 2, 3]);
  });
});

describe('planning and pipeline figures', () => {
  it("shift plan coverage is worked out from the plan's coverage rows", async () => {
    const { data } = await run(PLAN_COVERAGE_SQL, WEEK);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      queue: 'billing',
      week: '2026-11-09',
      run_id: 'run-b',
      agents_started: 5,
      optimal: 1,
      required_agent_half_hours: 8,
      understaffed_half_hours: 1,
      missing_agent_half_hours: 1,
      surplus_agent_half_hours: 1,
    });
    expect(num(data[0]!.coverage)).toBe(7 / 8);
  });

  it('dead letters are grouped by the failing field or check', async () => {
    const { data } = await run(DEAD_LETTERS_SQL, {
      fromMs: nowMs - 3_600_000,
      toMs: nowMs + 60_000,
      intervalMs: 3_600_000,
    });
    const byReason = new Map<string, number>();
    for (const r of data) byReason.set(String(r.reason), (byReason.get(String(r.reason)) ?? 0) + num(r.dead_letters));
    expect(Object.fromEntries(byReason)).toEqual({ occurred_at: 2, 'invalid JSON': 1 });
    expect(DEAD_LETTER_ERRORS).toHaveLength(3);
  });
});
