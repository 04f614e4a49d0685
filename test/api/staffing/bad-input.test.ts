// Unknown fields in request bodies are refused with 400 naming them (never dropped and answered
// as if absent), and schedule pattern errors carry their field as data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../../support/temp-store.js';
import { metricsApp } from '../helpers.js';
import { unknownFields } from '../../../src/api/unknown-fields.js';
import { schedule } from '../../../src/staffing/index.js';

let t: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;

beforeAll(async () => {
  t = await openTempStore();
  app = await metricsApp(t.store, { now: () => Date.parse('2026-10-07T11:00:00Z') });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const send = async (method: 'POST' | 'PUT', url: string, payload: unknown) => {
  const r = await app.inject({ method, url, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: r.json() as { error: string; field?: string } };
};

describe('unknown body fields', () => {
  it('a what-if with volume_percent (for volume_pct) is 400 naming it, not the baseline', async () => {
    const r = await send('POST', '/v1/staffing/whatif', { queue: 'billing', volume_percent: 10 });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('volume_percent');
    expect(r.body.error).toMatch(/^volume_percent: unknown field \(known: queue, channel, from, to, volume_pct,/);
  });

  it('a forecast run with queue (for queues) is 400 naming it; several unknown fields are all named', async () => {
    const r = await send('POST', '/v1/forecasts/run', { queue: 'billing' });
    expect([r.status, r.body.field]).toEqual([400, 'queue']);
    expect(r.body.error).toBe('queue: unknown field (known: queues, horizon_days)');
    const two = await send('POST', '/v1/forecasts/run', { queue: 'billing', horizon: 7, horizon_days: 7 });
    expect([two.status, two.body.field]).toEqual([400, 'queue']);
    expect(two.body.error).toBe('queue, horizon: unknown fields (known: queues, horizon_days)');
  });

  it('schedule solve: an unknown top-level field, and a pattern error naming its path', async () => {
    const patterns = { patterns: [{ name: 'x', lengthHours: 4, costPerHour: 1 }] };
    const r = await send('POST', '/v1/schedule/solve', { queue: 'q', week: '2026-10-12', patterns, weeks: 2 });
    expect([r.status, r.body.field]).toEqual([400, 'weeks']);
    const bad = await send('POST', '/v1/schedule/solve', {
      queue: 'q',
      week: '2026-10-12',
      patterns: { patterns: [{ name: 'x', lengthHours: 4, costPerHour: 1, breaks: [{ durationMinutes: 45 }] }] },
    });
    expect([bad.status, bad.body.field]).toEqual([400, 'patterns.patterns[0].breaks[0].earliestAfterMinutes']);
  });

  it('the pure check: only closed object schemas, only top-level keys', () => {
    const closed = { type: 'object', properties: { a: {}, b: {} }, additionalProperties: false };
    expect(unknownFields(closed, { a: 1, c: 2, d: { e: 1 } })).toEqual(['c', 'd']);
    expect(unknownFields({ ...closed, additionalProperties: true }, { c: 2 })).toEqual([]);
    expect(unknownFields(closed, [1, 2])).toEqual([]);
  });

  it('pattern errors are structured: field and reason apart', () => {
    try {
      schedule.parsePatterns({ patterns: [{ name: 'x', lengthHours: 0.25, costPerHour: 1 }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(schedule.FieldError);
      const e = error as InstanceType<typeof schedule.FieldError>;
      expect([e.field, e.reason]).toEqual(['patterns[0].lengthHours', 'a multiple of 0.5 up to 24, got 0.25']);
    }
  });
});
