// Local days: the job's grid, intraday and schedule weeks in each queue's time zone, opening
// hours applied. Two queues with a history where every open half-hour had exactly 2 contacts of
// 240 s handle time (none abandoned):
//  - "sh" in Asia/Shanghai (UTC+8, no DST), open Mon–Fri 08:00–20:00 and Sat 09:00–13:00, closed Sunday;
//  - "ldn" in Europe/London, open all day; its forecast spans the fall-back day 2026-10-25 (50 half-hours).
// Hand-worked staffing of an open half-hour: A = 2 × 240 ÷ 1800 = 0.2667 erlangs. Erlang C with
// T = 20 s: N = 1 gives SL = 1 − 0.2667·e^(−0.7333·20/240) = 0.749 < 0.8; N = 2 gives
// C = 0.03137, SL = 1 − 0.03137·e^(−1.7333·20/240) = 0.973 → required 2; scheduled = ⌈2 ÷ 0.7⌉ = 3.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { openTempStore, type TempStore } from '../../support/temp-store.js';
import { metricsApp } from '../../api/helpers.js';
import { storeSink } from '../../../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../../../pipelines/ingest/writer.js';
import { createIngestMetrics } from '../../../pipelines/ingest/prometheus.js';
import { runForecastJob, type ForecastJobResult } from '../../../forecasts/job/run.js';
import { toLocalSeries, localHistoryDays } from '../../../forecasts/job/local.js';
import { localGrid, openSlots } from '../../../src/staffing/local.js';
import type { CallcastEvent } from '../../../src/events/index.js';

const HALF = 1_800_000;
const SH_HOURS = {
  mon: [['08:00', '20:00']],
  tue: [['08:00', '20:00']],
  wed: [['08:00', '20:00']],
  thu: [['08:00', '20:00']],
  fri: [['08:00', '20:00']],
  sat: [['09:00', '13:00']],
  sun: null,
};
const AS_OF = Date.parse('2026-10-22T12:00:00Z'); // Thursday; 20:00 in Shanghai, 13:00 in London

describe('local grid (pure)', () => {
  it('cuts local days: 48 half-hours in Shanghai from 16:00Z, 46 and 50 on London DST days', () => {
    const sh = localGrid(Date.parse('2026-10-22T03:00:00Z'), 1, 'Asia/Shanghai');
    expect([sh.utc.length, new Date(sh.startMs).toISOString(), sh.dates[0], sh.weekday[0]]).toEqual([
      48,
      '2026-10-21T16:00:00.000Z',
      '2026-10-22',
      3,
    ]);
    const spring = localGrid(Date.parse('2026-03-29T12:00:00Z'), 1, 'Europe/London');
    expect(spring.utc.length).toBe(46);
    // 00:00 and 00:30 GMT, then 02:00 BST (= 01:00Z): wall-clock slots 0, 1, 4
    expect(Array.from(spring.index.slice(0, 4))).toEqual([0, 1, 4, 5]);
    expect(new Date(spring.utc[2]!).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    const fall = localGrid(Date.parse('2026-10-25T12:00:00Z'), 1, 'Europe/London');
    expect(fall.utc.length).toBe(50);
    // 01:00 BST (00:00Z), 01:30 BST, then 01:00 GMT (01:00Z), 01:30 GMT: slots 2, 3, 2, 3
    expect(Array.from(fall.index.slice(2, 7))).toEqual([2, 3, 2, 3, 4]);
    expect(new Date(fall.startMs).toISOString()).toBe('2026-10-24T23:00:00.000Z');
  });

  it('opening hours: open from the opening half-hour, closed from the closing one; null and [] close the day', () => {
    const open = openSlots(SH_HOURS as never);
    const day = (wd: number) => Array.from(open.slice(wd * 48, wd * 48 + 48));
    expect(day(0).join('')).toBe('0'.repeat(16) + '1'.repeat(24) + '0'.repeat(8));
    expect(day(5).join('')).toBe('0'.repeat(18) + '1'.repeat(8) + '0'.repeat(22));
    expect(day(6).join('')).toBe('0'.repeat(48));
    expect(Array.from(openSlots({ mon: [] }).slice(0, 48)).every((x) => x === 0)).toBe(true);
    expect(Array.from(openSlots({}).slice(0, 48)).every((x) => x === 1)).toBe(true);
  });

  it('history on the wall-clock grid: the repeated hour is the mean of its two, the skipped hour the mean of its neighbours', () => {
    // London, 2026-10-25 (fall back): UTC series from 2026-10-24T23:00Z, value = 10 + index
    const start = Date.parse('2026-10-24T23:00:00Z');
    const n = 50;
    const utc = {
      queue: 'q',
      channel: 'voice',
      startMs: start,
      volume: Float64Array.from({ length: n }, (_, i) => 10 + i),
      aht: Float64Array.from({ length: n }, () => 300),
      abandons: 0,
      waitSeconds: 0,
    };
    const fall = toLocalSeries(utc, start, 1, 'Europe/London')!;
    expect(fall.volume.length).toBe(48);
    // slots 2 and 3 happened twice: (12 + 14) ÷ 2 and (13 + 15) ÷ 2; slot 4 is UTC index 6
    expect(Array.from(fall.volume.slice(0, 5))).toEqual([10, 11, 13, 14, 16]);
    expect(fall.volume[47]).toBe(59);
    expect(new Date(fall.endMs).toISOString()).toBe('2026-10-26T00:00:00.000Z'); // GMT again
    // 2026-03-29 (spring forward): 46 real half-hours from 00:00Z
    const s2 = Date.parse('2026-03-29T00:00:00Z');
    const spring = toLocalSeries(
      { ...utc, startMs: s2, volume: Float64Array.from({ length: 46 }, (_, i) => 10 + i), aht: new Float64Array(46) },
      s2,
      1,
      'Europe/London',
    )!;
    // slots 0, 1 = 10, 11; 2 and 3 never happened: mean of slot 1 (11) and slot 4 (12) = 11.5
    expect(Array.from(spring.volume.slice(0, 6))).toEqual([10, 11, 11.5, 11.5, 12, 13]);
  });

  it('whole local days of history end at the local midnight before asOf', () => {
    const bounds = { loMs: Date.parse('2026-10-01T00:00:00Z'), hiMs: AS_OF - 1 };
    const sh = localHistoryDays(bounds, AS_OF, 182, 'Asia/Shanghai')!;
    expect([new Date(sh.startMs).toISOString(), sh.days]).toEqual(['2026-09-30T16:00:00.000Z', 21]);
    const ldn = localHistoryDays(bounds, AS_OF, 7, 'Europe/London')!;
    expect([new Date(ldn.startMs).toISOString(), ldn.days]).toEqual(['2026-10-14T23:00:00.000Z', 7]);
  });
});

let t: TempStore;
let run: ForecastJobResult;

function contactsAt(queue: string, slotStart: number, n: number): CallcastEvent[] {
  const out: CallcastEvent[] = [];
  for (let k = 0; k < n; k++) {
    const id = randomUUID();
    const at = slotStart + 60_000 + k * 300_000;
    out.push(
      { event_id: randomUUID(), type: 'contact.queued', occurred_at: at, contact_id: id, queue, channel: 'voice' },
      { event_id: randomUUID(), type: 'contact.answered', occurred_at: at + 5_000, contact_id: id, agent_id: 'a1' },
      {
        event_id: randomUUID(),
        type: 'contact.completed',
        occurred_at: at + 245_000,
        contact_id: id,
        agent_id: 'a1',
        talk_s: 200,
        hold_s: 10,
        wrap_s: 30,
      },
    );
  }
  return out as CallcastEvent[];
}

beforeAll(async () => {
  t = await openTempStore();
  const settings = (queue: string, tz: string, hours: unknown) => ({
    queue,
    version: 1,
    effective_from: '2026-01-01 00:00:00.000',
    changed_at: '2026-01-01 00:00:00.000',
    changed_by: 'test',
    threshold_s: 20,
    sl_target: 0.8,
    short_abandon_s: 5,
    sl_formula: 'answered_within_t_over_offered',
    fcr_window_days: 7,
    time_zone: tz,
    opening_hours: JSON.stringify(hours),
    previous: '',
  });
  await t.store.client.insert({
    table: 'queue_settings',
    format: 'JSONEachRow',
    values: [settings('sh', 'Asia/Shanghai', SH_HOURS), settings('ldn', 'Europe/London', {})],
  });
  // three weeks of history: sh from 2026-09-30 local, ldn likewise, every open half-hour 2 contacts
  const events: CallcastEvent[] = [];
  const shOpen = openSlots(SH_HOURS as never);
  const shGrid = localGrid(Date.parse('2026-09-30T12:00:00Z'), 22, 'Asia/Shanghai');
  shGrid.utc.forEach((u, i) => {
    const ix = shGrid.index[i]!;
    if (shOpen[shGrid.weekday[Math.floor(ix / 48)]! * 48 + (ix % 48)]) events.push(...contactsAt('sh', u, 2));
  });
  for (let u = Date.parse('2026-09-30T23:00:00Z'); u < Date.parse('2026-10-21T23:00:00Z'); u += HALF)
    events.push(...contactsAt('ldn', u, 2));
  const writer = new BatchWriter(t.store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
  const sink = storeSink(writer);
  for (let i = 0; i < events.length; i += 20_000) await sink.send(events.slice(i, i + 20_000));
  run = await runForecastJob(t.store.client, { asOf: AS_OF, workers: 0, horizonDays: 14 });
}, 600_000);
afterAll(async () => t?.cleanup());

interface Row {
  queue: string;
  ts: string;
  volume: number;
  aht: number;
  required: number;
  scheduled_needed: number;
  model: string;
}
const rowsOf = (queue: string) =>
  t.rows<Row>(
    `SELECT f.queue AS queue, toString(f.interval_start) AS ts, f.volume AS volume, f.aht AS aht, s.required AS required,
            s.scheduled_needed AS scheduled_needed, s.model AS model
     FROM forecasts AS f INNER JOIN staffing_requirements AS s
       ON s.run_id = f.run_id AND s.queue = f.queue AND s.channel = f.channel AND s.interval_start = f.interval_start
     WHERE f.run_id = {r:String} AND f.queue = {q:String} ORDER BY f.interval_start`,
    { r: run.runId, q: queue },
  );

describe('the job on local days', () => {
  it('Shanghai: 14 local days from 16:00Z, closed half-hours exactly 0 forecast and 0 agents', async () => {
    const rows = await rowsOf('sh');
    expect(rows).toHaveLength(14 * 48);
    expect(rows[0]!.ts).toBe('2026-10-21 16:00:00');
    expect(rows.at(-1)!.ts).toBe('2026-11-04 15:30:00');
    const open = openSlots(SH_HOURS as never);
    const grid = localGrid(Date.parse('2026-10-21T16:00:00Z'), 14, 'Asia/Shanghai');
    let openCount = 0;
    rows.forEach((r, i) => {
      const ix = grid.index[i]!;
      const isOpen = open[grid.weekday[Math.floor(ix / 48)]! * 48 + (ix % 48)] === 1;
      if (!isOpen) {
        expect([r.volume, r.required, r.scheduled_needed]).toEqual([0, 0, 0]);
        return;
      }
      openCount++;
      expect(r.volume).toBeCloseTo(2, 6);
      expect(r.aht).toBeCloseTo(240, 6);
      expect([r.required, r.scheduled_needed, r.model]).toEqual([2, 3, 'erlang-c']);
    });
    // 10 weekdays × 24 + 2 Saturdays × 8 open half-hours
    expect(openCount).toBe(10 * 24 + 2 * 8);
  });

  it('London: the fall-back day has 50 half-hours, the repeated hour forecast twice', async () => {
    const rows = await rowsOf('ldn');
    expect(rows).toHaveLength(14 * 48 + 2);
    expect(rows[0]!.ts).toBe('2026-10-21 23:00:00');
    const fallDay = rows.filter((r) => r.ts >= '2026-10-24 23:00:00' && r.ts < '2026-10-26 00:00:00');
    expect(fallDay).toHaveLength(50);
    for (const r of rows) {
      expect(r.volume).toBeCloseTo(2, 6);
      expect([r.required, r.scheduled_needed]).toEqual([2, 3]);
    }
    const runs = await t.rows<{ origin: string; horizon: number }>(
      `SELECT toString(any(origin)) AS origin, any(horizon) AS horizon FROM forecast_runs WHERE run_id = {r:String} AND queue = 'ldn'`,
      { r: run.runId },
    );
    expect([runs[0]!.origin, Number(runs[0]!.horizon)]).toEqual(['2026-10-21 23:00:00', 674]);
    expect(run.origin).toBe('2026-10-21T16:00:00.000Z');
  });
});

describe('the API on local days', () => {
  it('intraday: today is the local day (48 in Shanghai, 50 on the London fall-back day)', async () => {
    const at = async (now: string, queue: string) => {
      const app = await metricsApp(t.store, { now: () => Date.parse(now) });
      try {
        const r = await app.inject({ method: 'GET', url: `/v1/staffing/intraday?queue=${queue}` });
        return { status: r.statusCode, body: r.json() as Record<string, any> };
      } finally {
        await app.close();
      }
    };
    const sh = await at('2026-10-22T12:00:00Z', 'sh');
    expect(sh.status).toBe(200);
    expect([sh.body.day, sh.body.time_zone, sh.body.day_start, sh.body.day_half_hours]).toEqual([
      '2026-10-22',
      'Asia/Shanghai',
      '2026-10-21T16:00:00.000Z',
      48,
    ]);
    // 20:00 local: 40 half-hours done, the 8 left are after closing: 0 agents
    expect(sh.body.channels[0].completed_intervals).toBe(40);
    expect(sh.body.channels[0].remaining.map((r: any) => r.required)).toEqual(new Array(8).fill(0));
    const ldn = await at('2026-10-25T03:00:00Z', 'ldn');
    expect([ldn.body.day, ldn.body.day_start, ldn.body.day_half_hours]).toEqual([
      '2026-10-25',
      '2026-10-24T23:00:00.000Z',
      50,
    ]);
    expect(ldn.body.channels[0].completed_intervals).toBe(8);
    expect(ldn.body.channels[0].remaining).toHaveLength(42);
  });

  it('schedule: the Shanghai week on local days; no shift works a closed half-hour; cost 1920 with exact coverage', async () => {
    const app = await metricsApp(t.store, { now: () => AS_OF });
    try {
      const r = await app.inject({
        method: 'POST',
        url: '/v1/schedule/solve',
        payload: {
          queue: 'sh',
          week: '2026-10-26',
          patterns: {
            patterns: [
              { name: 'four', lengthHours: 4, costPerHour: 10 },
              { name: 'eight', lengthHours: 8, costPerHour: 10 },
            ],
          },
        },
      });
      expect(r.statusCode).toBe(200);
      const body = r.json() as Record<string, any>;
      expect(body.time_zone).toBe('Asia/Shanghai');
      const plan = body.plan;
      // Mon–Fri 3 agents × 12 h + Sat 3 × 4 h = 192 agent-hours at 10
      expect([plan.status, plan.shiftCost, plan.understaffedHalfHours, plan.overstaffedHalfHours]).toEqual([
        'optimal',
        1920,
        0,
        0,
      ]);
      const open = openSlots(SH_HOURS as never);
      expect(plan.coverage).toHaveLength(7 * 48);
      plan.coverage.forEach((c: any, i: number) => {
        expect(c.interval_start.startsWith(i < 48 ? '2026-10-26T' : '2026-')).toBe(true);
        expect([c.required, c.scheduled]).toEqual(open[i] ? [3, 3] : [0, 0]);
      });
      expect(plan.coverage[16].interval_start).toBe('2026-10-26T08:00');
      const csv = await app.inject({ method: 'GET', url: '/v1/schedule?queue=sh&week=2026-10-26&format=csv' });
      const lines = csv.body.trimEnd().split('\r\n');
      expect(lines[0]).toBe('queue,week,pattern,date,day,start,end,breaks,agents,costPerAgent');
      expect(lines).toHaveLength(plan.shifts.length + 1);
      // agent-hours of the lines = 192, the plan's cost ÷ 10
      const hours = lines.slice(1).reduce((sum, l) => {
        const [, , pattern, , , , , , agents] = l.split(',');
        return sum + Number(agents) * (pattern === 'eight' ? 8 : 4);
      }, 0);
      expect(hours).toBe(192);
    } finally {
      await app.close();
    }
  });
});
