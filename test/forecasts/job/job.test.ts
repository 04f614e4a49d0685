// The forecast job on the embedded engine: exact history read, forecast grid and bounds,
// backtest scores per model, determinism (inline = worker threads), staffing rows = src/staffing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../../support/temp-store.js';
import { SEED_DAYS, SEED_START, seedHistory } from './seed.js';
import { simulateHistory } from '../../../pipelines/simulate/generator.js';
import { historyWindow, readHistory } from '../../../forecasts/job/history.js';
import { runForecastJob, type ForecastJobResult } from '../../../forecasts/job/run.js';
import { computeRequirements, estimatePatience } from '../../../src/staffing/index.js';
import type { CallcastEvent } from '../../../src/events/index.js';

const AS_OF = Date.parse('2026-12-01T00:00:00Z');
const START = Date.parse(`${SEED_START}T00:00:00Z`);
const ORIGIN = START + SEED_DAYS * 86_400_000;
let t: TempStore;
let inline: ForecastJobResult;
let threaded: ForecastJobResult;
const events: CallcastEvent[] = [
  ...simulateHistory({ days: SEED_DAYS, queues: 2, seed: 5, start: SEED_START, volumeScale: 0.3 }),
];
const ms = (e: CallcastEvent) => (typeof e.occurred_at === 'number' ? e.occurred_at : Date.parse(e.occurred_at));

beforeAll(async () => {
  t = await openTempStore();
  await seedHistory(t.store);
  // billing has its own service target; tech-support keeps the defaults
  await t.store.client.insert({
    table: 'queue_settings',
    format: 'JSONEachRow',
    values: [
      {
        queue: 'billing',
        version: 1,
        effective_from: '2026-01-01 00:00:00.000',
        changed_at: '2026-01-01 00:00:00.000',
        changed_by: 'test',
        threshold_s: 30,
        sl_target: 0.9,
        short_abandon_s: 5,
        sl_formula: 'answered_within_t_over_offered',
        fcr_window_days: 7,
        time_zone: 'UTC',
        opening_hours: '{}',
        previous: '',
      },
    ],
  });
  inline = await runForecastJob(t.store.client, { asOf: AS_OF, workers: 0 });
  threaded = await runForecastJob(t.store.client, { asOf: AS_OF, workers: 2 });
}, 120_000);
afterAll(async () => t?.cleanup());

describe('history read (Arrow → typed arrays)', () => {
  it('gives the exact offered count and AHT per queued half-hour, counted independently from the events', async () => {
    const window = (await historyWindow(t.store.client, AS_OF, 182))!;
    expect(window).toEqual({ startMs: START, endMs: ORIGIN });
    const series = await readHistory(t.store.client, window);
    expect(series.map((s) => `${s.queue}/${s.channel}`).sort()).toEqual([
      'billing/chat',
      'billing/email',
      'billing/messaging',
      'billing/voice',
      'tech-support/chat',
      'tech-support/email',
      'tech-support/messaging',
      'tech-support/voice',
    ]);
    // independent count: first contact.queued per contact, its half-hour; handle time of its completion
    const queued = new Map<string, { key: string; slot: number }>();
    const handle = new Map<string, number>();
    for (const e of events) {
      if (e.type === 'contact.queued' && !queued.has(e.contact_id))
        queued.set(e.contact_id, { key: `${e.queue}/${e.channel}`, slot: Math.floor((ms(e) - START) / 1_800_000) });
      if (e.type === 'contact.completed') handle.set(e.contact_id, e.talk_s + e.hold_s + e.wrap_s);
    }
    const offered = new Map<string, number>();
    const work = new Map<string, [number, number]>();
    for (const [id, q] of queued) {
      const k = `${q.key}@${q.slot}`;
      offered.set(k, (offered.get(k) ?? 0) + 1);
      const h = handle.get(id);
      if (h !== undefined) {
        const w = work.get(k) ?? [0, 0];
        w[0] += h;
        w[1] += 1;
        work.set(k, w);
      }
    }
    let total = 0;
    for (const s of series) {
      // a series that starts later (an empty first day) is trimmed to its first day with contacts
      const skip = (s.startMs - START) / 1_800_000;
      expect(skip % 48).toBe(0);
      for (let i = 0; i < skip; i++) expect(offered.get(`${s.queue}/${s.channel}@${i}`)).toBeUndefined();
      expect(s.volume.length).toBe(SEED_DAYS * 48 - skip);
      for (let i = 0; i < s.volume.length; i++) {
        const k = `${s.queue}/${s.channel}@${i + skip}`;
        expect(s.volume[i]).toBe(offered.get(k) ?? 0);
        const w = work.get(k);
        expect(s.aht[i]).toBeCloseTo(w ? w[0] / w[1] : 0, 6);
        total += s.volume[i]!;
      }
    }
    expect(total).toBe(queued.size);
    // and by SQL on the stored events
    expect(total).toBe(await t.count(`SELECT uniqExact(contact_id) FROM contact_events WHERE type = 'contact.queued'`));
  });
});

describe('forecasts', () => {
  it('writes 6 weeks (2016 half-hours) per queue × channel from the end of history', async () => {
    expect(inline.origin).toBe(new Date(ORIGIN).toISOString());
    expect(inline.series.every((s) => s.status === 'ok')).toBe(true);
    const rows = await t.rows<{ queue: string; channel: string; n: string; d: string; lo: string; hi: string }>(
      `SELECT queue, channel, count() AS n, uniqExact(interval_start) AS d, toString(min(interval_start)) AS lo, toString(max(interval_start)) AS hi
       FROM forecasts WHERE run_id = {r:String} GROUP BY queue, channel ORDER BY queue, channel`,
      { r: inline.runId },
    );
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect([Number(r.n), Number(r.d), r.lo, r.hi]).toEqual([
        2016,
        2016,
        '2026-10-12 00:00:00',
        '2026-11-22 23:30:00',
      ]);
    }
  });

  it('never forecasts negatives and nests the intervals: lo95 ≤ lo80 ≤ volume ≤ hi80 ≤ hi95', async () => {
    const bad = await t.count(
      `SELECT countIf(NOT (lo95 >= 0 AND lo95 <= lo80 + 1e-9 AND lo80 <= volume + 1e-9 AND volume <= hi80 + 1e-9 AND hi80 <= hi95 + 1e-9 AND aht >= 0)) FROM forecasts`,
    );
    expect(bad).toBe(0);
    // voice is busy on weekday afternoons: its forecast is not all zeros
    expect(
      await t.count(`SELECT sum(volume) FROM forecasts WHERE run_id = {r:String} AND channel = 'voice'`, {
        r: inline.runId,
      }),
    ).toBeGreaterThan(1000);
  });

  it("records each model's backtest WAPE and MASE per queue × channel, ensemble weights summing to 1", async () => {
    const rows = await t.rows<{
      queue: string;
      channel: string;
      models: string[];
      wapes: number;
      mases: number;
      w: number;
      ens: string;
    }>(
      `SELECT queue, channel, groupArray(model) AS models, countIf(wape IS NOT NULL) AS wapes, countIf(mase > 0) AS mases, sum(weight) AS w, any(ensemble) AS ens
       FROM (SELECT * FROM forecast_runs WHERE run_id = {r:String} ORDER BY model) GROUP BY queue, channel ORDER BY queue, channel`,
      { r: inline.runId },
    );
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(r.models).toEqual(['dshw', 'fourier_ridge', 'mean_4w', 'median_5w', 'mstl_ets', 'snaive_week', 'topdown']);
      expect([Number(r.wapes), Number(r.mases)]).toEqual([7, 7]);
      expect(Number(r.w)).toBeCloseTo(1, 9);
      expect(r.ens).toMatch(/^ensemble:/);
    }
    // 35 days of history, 6-week horizon: backtest on 2 windows of 10 days (2 weeks train first)
    expect(
      await t.rows(`SELECT DISTINCT backtest_origins, backtest_horizon FROM forecast_runs WHERE run_id = {r:String}`, {
        r: inline.runId,
      }),
    ).toEqual([{ backtest_origins: 2, backtest_horizon: 480 }]);
  });

  it('is deterministic: a second run (on two worker threads) writes the same forecasts and requirements', async () => {
    expect(threaded.runId).not.toBe(inline.runId);
    const of = (run: string) =>
      t.rows(
        `SELECT queue, channel, interval_start, volume, aht, lo80, hi80, lo95, hi95, model FROM forecasts WHERE run_id = {r:String} ORDER BY queue, channel, interval_start`,
        { r: run },
      );
    const req = (run: string) =>
      t.rows(
        `SELECT queue, channel, interval_start, required, scheduled_needed, expected_sl FROM staffing_requirements WHERE run_id = {r:String} ORDER BY queue, channel, interval_start`,
        { r: run },
      );
    const [a, b] = await Promise.all([of(inline.runId), of(threaded.runId)]);
    expect(a).toHaveLength(8 * 2016);
    expect(b).toEqual(a);
    expect(await req(threaded.runId)).toEqual(await req(inline.runId));
  });
});

describe('staffing_requirements after the run', () => {
  it('match src/staffing sized directly, with the queue settings and patience from its own abandons', async () => {
    // patience of billing/voice from the events: abandons (never answered, waited ≥ S = 5 s:
    // short abandons are not abandons) ÷ total wait of the answered and the abandoned
    const q = new Map<string, number>();
    const ans = new Map<string, number>();
    const ab = new Map<string, number>();
    for (const e of events) {
      if (e.type === 'contact.queued' && e.queue === 'billing' && e.channel === 'voice' && !q.has(e.contact_id))
        q.set(e.contact_id, ms(e));
      if (e.type === 'contact.answered') ans.set(e.contact_id, ms(e));
      if (e.type === 'contact.abandoned') ab.set(e.contact_id, ms(e));
    }
    let abandons = 0;
    let wait = 0;
    for (const [id, at] of q) {
      if (ans.has(id)) wait += Math.max(0, ans.get(id)! - at) / 1000;
      else if (ab.has(id) && Math.max(0, ab.get(id)! - at) >= 5000) {
        abandons++;
        wait += Math.max(0, ab.get(id)! - at) / 1000;
      }
    }
    const patience = estimatePatience({ abandons, totalWaitSeconds: wait }).patienceSeconds!;
    expect(abandons).toBeGreaterThan(10);

    const rows = await t.rows<{
      queue: string;
      interval_start: string;
      volume: number;
      aht: number;
      required: number;
      scheduled_needed: number;
      expected_sl: number;
      asa: number;
      occupancy: number;
      abandon: number;
      model: string;
      threshold_s: number;
      sl_target: number;
      max_occupancy: number;
      shrinkage: number;
      patience_s: number;
    }>(
      `SELECT * FROM staffing_requirements WHERE run_id = {r:String} AND channel = 'voice' AND volume > 1 ORDER BY queue, interval_start LIMIT 3 BY queue`,
      { r: inline.runId },
    );
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      const billing = r.queue === 'billing';
      expect([r.threshold_s, r.sl_target, r.max_occupancy, r.shrinkage]).toEqual(
        billing ? [30, 0.9, 0.85, 0.3] : [20, 0.8, 0.85, 0.3],
      );
      expect(r.model).toBe('erlang-a');
      if (billing) expect(r.patience_s).toBeCloseTo(patience, 3);
      const [direct] = computeRequirements([{ interval_start: r.interval_start, volume: r.volume, aht: r.aht }], {
        serviceLevel: r.sl_target,
        threshold: r.threshold_s,
        maxOccupancy: 0.85,
        shrinkage: 0.3,
        patience: r.patience_s,
      });
      expect([r.required, r.scheduled_needed]).toEqual([direct!.required, direct!.scheduled_needed]);
      expect(r.scheduled_needed).toBe(Math.ceil(r.required / 0.7 - 1e-9));
      expect(r.expected_sl).toBeCloseTo(direct!.expected_sl, 9);
      expect(r.expected_sl).toBeGreaterThanOrEqual(r.sl_target);
      expect(r.occupancy).toBeLessThanOrEqual(0.85 + 1e-9);
    }
    // one requirement row per forecast row
    expect(
      await t.count(`SELECT count() FROM staffing_requirements WHERE run_id = {r:String}`, { r: inline.runId }),
    ).toBe(8 * 2016);
  });
});
