// GET /v1/metrics keeps an answer read wholly from the rollup (src/api/answer-cache.ts) while the
// store state is unchanged and no repeat-contact window in it has closed. Each answer below is
// worked by hand and equals the from-scratch computation at the same now: the window of the one
// contact closing, a late survey re-rolled, a settings change, and a reader earlier than the kept one.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { buildApp } from '../../src/api/app.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { queryMetricsFromScratch } from '../../src/metrics/query.js';
import { reroll } from '../../src/metrics/rollup.js';
import { saveSettings } from '../../src/metrics/settings.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof buildApp>>;
let clock = 0;
let n = 0;
const id = () => `00000000-0000-4000-a000-${(++n).toString(16).padStart(12, '0')}`;
const DAY_FROM = Date.parse('2026-11-02T00:00:00Z');
const DAY_TO = Date.parse('2026-11-03T00:00:00Z');
// The contact completes at 10:05 on 2 November; its 7-day repeat window closes 9 November 10:05.
const CLOSE = Date.parse('2026-11-09T10:05:00Z');
const URL = '/v1/metrics?queue=answers-q&from=2026-11-02&to=2026-11-02&interval=1d';

async function post(events: object[]) {
  const response = await app.inject({ method: 'POST', url: '/v1/events', payload: events });
  expect(response.json()).toMatchObject({ rejected: 0 });
}

/** The day's total at `now`, after checking the answer equals the from-scratch one. */
async function dayAt(now: number) {
  clock = now;
  const response = await app.inject({ method: 'GET', url: URL });
  expect(response.statusCode).toBe(200);
  const body = response.json();
  const reference = await queryMetricsFromScratch(temp.store.client, {
    queue: 'answers-q',
    from: DAY_FROM,
    to: DAY_TO,
    interval: '1d',
    now,
  });
  expect(body).toEqual(JSON.parse(JSON.stringify(reference)));
  return body.total as { counts: Record<string, number>; nps: number | null; threshold_s: number };
}

beforeAll(async () => {
  temp = await openTempStore();
  const logger = pino({ level: 'silent' });
  const registry = new Registry();
  const ingestMetrics = createIngestMetrics(registry);
  const writer = new BatchWriter(temp.store, ingestMetrics, logger);
  app = await buildApp({ store: temp.store, writer, ingestMetrics, registry, logger, now: () => clock });
  clock = Date.parse('2026-11-02T12:00:00Z');
  const at = (hhmmss: string) => `2026-11-02T${hhmmss}Z`;
  await post([
    // The store's history starts the day before (the rollup rolls from the first event on).
    {
      event_id: id(),
      type: 'contact.queued',
      occurred_at: '2026-11-01T08:00:00Z',
      contact_id: 'ac0',
      queue: 'other-q',
      channel: 'voice',
    },
    {
      event_id: id(),
      type: 'contact.queued',
      occurred_at: at('10:00:00'),
      contact_id: 'ac1',
      queue: 'answers-q',
      channel: 'voice',
      customer_id: 'acu1',
    },
    { event_id: id(), type: 'contact.answered', occurred_at: at('10:00:30'), contact_id: 'ac1', agent_id: 'aa1' },
    {
      event_id: id(),
      type: 'contact.completed',
      occurred_at: at('10:05:00'),
      contact_id: 'ac1',
      agent_id: 'aa1',
      talk_s: 200,
      hold_s: 10,
      wrap_s: 30,
    },
  ]);
  // Rolled at 03:00 on 3 November: every half-hour of 2 November is settled.
  await reroll(temp.store.client, { now: Date.parse('2026-11-03T03:00:00Z') });
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

describe('GET /v1/metrics answers kept between requests', () => {
  it('hold until a repeat window closes, the store changes or settings change', async () => {
    const before = Date.parse('2026-11-05T12:00:00Z');
    let total = await dayAt(before);
    expect(total.counts).toMatchObject({ offered: 1, handled: 1, fcr_repeat_eligible: 0, fcr_repeat_pending: 1 });
    total = await dayAt(before + 60_000); // the same answer, kept
    expect(total.counts).toMatchObject({ fcr_repeat_eligible: 0, fcr_repeat_pending: 1 });

    // The window closes at 10:05 on 9 November: from then on the contact is resolved (no repeat).
    total = await dayAt(CLOSE - 1);
    expect(total.counts).toMatchObject({ fcr_repeat_eligible: 0, fcr_repeat_pending: 1 });
    total = await dayAt(CLOSE);
    expect(total.counts).toMatchObject({ fcr_repeat_eligible: 1, fcr_repeat_resolved: 1, fcr_repeat_pending: 0 });

    // A reader earlier than the kept answer gets its own (the window still open).
    total = await dayAt(before);
    expect(total.counts).toMatchObject({ fcr_repeat_eligible: 0, fcr_repeat_pending: 1 });

    // A late survey shows once re-rolled: NPS 10, one promoter.
    clock = CLOSE;
    await post([
      { event_id: id(), type: 'survey.submitted', occurred_at: '2026-11-02T10:20:00Z', contact_id: 'ac1', nps: 10 },
    ]);
    await reroll(temp.store.client, { now: Date.parse('2026-11-03T03:00:00Z') });
    total = await dayAt(CLOSE + 1000);
    expect(total.counts).toMatchObject({ nps_n: 1, promoters: 1 });
    expect(total.nps).toBe(100);

    // T = 45 s from the start of the day: the 30 s wait is within T at once.
    expect(total.counts.answered_within_t).toBe(0);
    await saveSettings(temp.store.client, 'answers-q', { threshold_s: 45 }, 'test', DAY_FROM, CLOSE);
    total = await dayAt(CLOSE + 2000);
    expect(total.counts.answered_within_t).toBe(1);
    expect(total.threshold_s).toBe(45);
  });
});
