// Per-queue staffing inputs, versioned (who, when, previous values), used by the forecast job.
// History: 8 UTC days where every half-hour had exactly 2 voice and 2 chat contacts of 240 s
// handle time, none abandoned. Hand-worked sizing of a half-hour (A = 2 × 240 ÷ 1800 = 0.2667):
//  - Erlang C, T = 20 s, 80 %: 1 server gives SL 0.749, 2 servers 0.973 → 2 servers.
//  - voice: 2 agents; chat with 2 contacts per agent: 2 servers = 1 agent.
//  - shrinkage 0.2: ⌈2 ÷ 0.8⌉ = 3 and ⌈1 ÷ 0.8⌉ = 2; on Monday 09:00 (shrinkage 0.5) ⌈2 ÷ 0.5⌉ = 4 and ⌈1 ÷ 0.5⌉ = 2.
// Queue "qa" gives patience 60 s: Erlang A sizes (equal to src/staffing's Erlang A reference),
// Erlang C's 2 agents are kept beside it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from '../api/helpers.js';
import { storeSink } from '../../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { runForecastJob, type ForecastJobResult } from '../../forecasts/job/run.js';
import { requiredAgents } from '../../src/staffing/index.js';
import type { CallcastEvent } from '../../src/events/index.js';

const HALF = 1_800_000;
const NOW = Date.parse('2026-10-09T06:00:00Z');
let t: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let run: ForecastJobResult;

function contacts(queue: string, channel: string, slotStart: number): CallcastEvent[] {
  const out: unknown[] = [];
  for (let k = 0; k < 2; k++) {
    const id = randomUUID();
    const at = slotStart + 60_000 + k * 600_000;
    out.push(
      { event_id: randomUUID(), type: 'contact.queued', occurred_at: at, contact_id: id, queue, channel },
      { event_id: randomUUID(), type: 'contact.answered', occurred_at: at + 5_000, contact_id: id, agent_id: 'a' },
      {
        event_id: randomUUID(),
        type: 'contact.completed',
        occurred_at: at + 245_000,
        contact_id: id,
        agent_id: 'a',
        talk_s: 240,
        hold_s: 0,
        wrap_s: 0,
      },
    );
  }
  return out as CallcastEvent[];
}

const put = async (queue: string, payload: Record<string, unknown>) => {
  const r = await app.inject({ method: 'PUT', url: `/v1/staffing/inputs/${queue}`, payload });
  return { status: r.statusCode, body: r.json() as Record<string, any> };
};

beforeAll(async () => {
  t = await openTempStore();
  const events: CallcastEvent[] = [];
  for (let u = Date.parse('2026-10-01T00:00:00Z'); u < Date.parse('2026-10-09T00:00:00Z'); u += HALF)
    for (const q of ['qa', 'qc']) for (const ch of ['voice', 'chat']) events.push(...contacts(q, ch, u));
  const writer = new BatchWriter(t.store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
  const sink = storeSink(writer);
  for (let i = 0; i < events.length; i += 20_000) await sink.send(events.slice(i, i + 20_000));
  app = await metricsApp(t.store, { now: () => NOW });
}, 300_000);
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

describe('staffing inputs, versioned', () => {
  it('defaults are version 0; a PUT records who, when, from when and the previous values', async () => {
    const none = await app.inject({ method: 'GET', url: '/v1/staffing/inputs/qc' });
    expect(none.json().current).toMatchObject({
      version: 0,
      changed_by: null,
      inputs: {
        shrinkage: 0.3,
        shrinkage_by_half_hour: null,
        max_occupancy: 0.85,
        concurrency: {},
        patience_s: null,
        erlang_a: true,
      },
    });
    const byHalfHour = new Array(336).fill(0.2);
    byHalfHour[18] = 0.5; // Monday 09:00
    const first = await put('qc', {
      shrinkage: 0.2,
      shrinkage_by_half_hour: byHalfHour,
      concurrency: { chat: 2 },
      erlang_a: false,
      effective_from: '2026-10-01T00:00:00Z',
    });
    expect(first.status).toBe(200);
    expect(first.body.current).toMatchObject({
      version: 1,
      effective_from: '2026-10-01T00:00:00.000Z',
      changed_at: '2026-10-09T06:00:00.000Z',
      changed_by: 'anonymous (open API)',
      previous: { shrinkage: 0.3, concurrency: {} },
    });
    expect(first.body.current.inputs).toMatchObject({ shrinkage: 0.2, concurrency: { chat: 2 }, erlang_a: false });
    const a = await put('qa', {
      shrinkage: 0.2,
      shrinkage_by_half_hour: byHalfHour,
      concurrency: { chat: 2 },
      patience_s: 60,
      effective_from: '2026-10-01T00:00:00Z',
    });
    expect(a.body.versions.map((v: any) => v.version)).toEqual([0, 1]);
    // a later change keeps the earlier version and names what it replaced
    const later = await put('qa', { max_occupancy: 0.9, effective_from: '2026-12-01T00:00:00Z' });
    expect(later.body.versions).toHaveLength(3);
    expect(later.body.current.version).toBe(1); // not in force yet
    expect(later.body.versions[2]).toMatchObject({
      version: 2,
      previous: { max_occupancy: 0.85 },
      inputs: { max_occupancy: 0.9, patience_s: 60 },
    });
  });

  it('refuses unknown and out-of-range inputs naming the field', async () => {
    expect((await put('qa', { shrinkage_pct: 20 })).body.field).toBe('shrinkage_pct');
    const bad = await put('qa', { shrinkage: 1 });
    expect([bad.status, bad.body.field]).toEqual([400, 'shrinkage']);
    const short = await put('qa', { shrinkage_by_half_hour: [0.1, 0.2] });
    expect([short.status, short.body.field]).toEqual([400, 'shrinkage_by_half_hour']);
    expect((await put('qa', { concurrency: { chat: 1.5 } })).status).toBe(400);
  });
});

describe('the job sizes with each queue inputs', () => {
  beforeAll(async () => {
    // calendars: qc closed on Tuesday 13 October, qa an event ×1.5 that day
    const cal = async (queue: string, days: unknown) =>
      app.inject({ method: 'PUT', url: `/v1/forecasts/calendar/${queue}`, payload: { days } });
    expect((await cal('qc', [{ day: '2026-10-13', kind: 'closed', reason: 'public holiday' }])).statusCode).toBe(200);
    await cal('qa', [{ day: '2026-10-13', kind: 'event', multiplier: 2, reason: 'launch' }]);
    const changed = await cal('qa', [{ day: '2026-10-13', kind: 'event', multiplier: 1.5, reason: 'launch, smaller' }]);
    expect(changed.json().days).toEqual([
      {
        day: '2026-10-13',
        kind: 'event',
        multiplier: 1.5,
        reason: 'launch, smaller',
        version: 2,
        changed_at: '2026-10-09T06:00:00.000Z',
        changed_by: 'anonymous (open API)',
        previous: { day: '2026-10-13', kind: 'event', multiplier: 2, reason: 'launch' },
      },
    ]);
    const bad = await cal('qa', [{ day: '2026-10-14', kind: 'holiday' }]);
    expect(bad.statusCode).toBe(400);
    run = await runForecastJob(t.store.client, { asOf: NOW, workers: 0, horizonDays: 7 });
  }, 600_000);

  const rowsOf = async (queue: string, channel: string) => {
    const r = await app.inject({
      method: 'GET',
      url: `/v1/staffing?queue=${queue}&channel=${channel}&from=2026-10-12&to=2026-10-12`,
    });
    return r.json() as Record<string, any>;
  };

  it('Erlang C queue: concurrency 2 for chat, shrinkage 0.2 and 0.5 on Monday 09:00', async () => {
    const voice = await rowsOf('qc', 'voice');
    expect(voice.settings[0]).toMatchObject({ model: 'erlang-c', shrinkage: 0.2, concurrency: 1, patience_s: null });
    expect(voice.rows).toHaveLength(48);
    voice.rows.forEach((r: any, i: number) => {
      expect(r.volume).toBeCloseTo(2, 6);
      expect([r.required, r.erlang_c_required, r.scheduled_needed, r.shrinkage]).toEqual(
        i === 18 ? [2, 2, 4, 0.5] : [2, 2, 3, 0.2],
      );
    });
    const chat = await rowsOf('qc', 'chat');
    expect(chat.settings[0]).toMatchObject({ concurrency: 2 });
    chat.rows.forEach((r: any, i: number) =>
      expect([r.required, r.scheduled_needed]).toEqual(i === 18 ? [1, 2] : [1, 2]),
    );
  });

  it('Erlang A queue: patience 60 s sizes with Erlang A (= the reference), Erlang C beside it', async () => {
    const voice = await rowsOf('qa', 'voice');
    expect(voice.settings[0]).toMatchObject({ model: 'erlang-a', patience_s: 60 });
    const ref = requiredAgents(
      { volume: 2, aht: 240, intervalSeconds: 1800, patience: 60 },
      { serviceLevel: 0.8, threshold: 20, maxOccupancy: 0.85 },
    );
    for (const r of voice.rows) {
      expect(r.required).toBe(ref.agents);
      expect(r.abandon).toBeCloseTo(ref.metrics.abandon, 6);
      expect(r.erlang_c_required).toBe(2);
    }
    expect(ref.agents).toBe(2);
    expect(ref.metrics.abandon).toBeGreaterThan(0);
    expect(run.series.every((s) => s.status === 'ok')).toBe(true);
  });

  it('calendar: a closed day forecasts exactly 0 and needs no agents; an event day is × its multiplier', async () => {
    const closed = await app.inject({ method: 'GET', url: '/v1/staffing?queue=qc&from=2026-10-13&to=2026-10-13' });
    const rows = closed.json().rows as any[];
    expect(rows).toHaveLength(2 * 48);
    for (const r of rows) expect([r.volume, r.required, r.scheduled_needed]).toEqual([0, 0, 0]);
    const event = await app.inject({
      method: 'GET',
      url: '/v1/staffing?queue=qa&channel=voice&from=2026-10-13&to=2026-10-13',
    });
    const ref = requiredAgents(
      { volume: 3, aht: 240, intervalSeconds: 1800, patience: 60 },
      { serviceLevel: 0.8, threshold: 20, maxOccupancy: 0.85 },
    );
    for (const r of event.json().rows as any[]) {
      expect(r.volume).toBeCloseTo(3, 6);
      expect(r.required).toBe(ref.agents);
    }
  });
});
