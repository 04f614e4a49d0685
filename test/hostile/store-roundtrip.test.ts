// Hostile but valid events go through POST /v1/events into the embedded store and are read back
// exactly — SQL-looking strings, NUL, bidi, emoji, every string field — which shows every value
// travels as data, never as SQL. Refused items of a batch are dead-lettered with their reason and
// do not stop the rest.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallcastEvent } from '../../src/events/index.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { queued, uuidFor } from '../support/events.js';
import { appWithRoutes, type TestApp } from './support/app.js';
import { SQL_LOOKING, UNICODE_EDGES, chText, validEvent } from './arbitraries.js';

let temp: TempStore;
let app: TestApp;
let next = 1_000;
let runs = 0;

beforeAll(async () => {
  temp = await openTempStore();
  ({ app } = await appWithRoutes(temp.store));
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

type Stored = Record<string, unknown>;

async function storedRows(ids: string[]): Promise<Map<string, Stored>> {
  const params = { ids };
  const contact = await temp.rows<Stored>(
    `SELECT event_id, type, occurred_at, contact_id, queue, channel, customer_id, reason, agent_id,
            talk_s, hold_s, wrap_s, transferred, resolved, extra FROM contact_events FINAL WHERE event_id IN {ids:Array(UUID)}`,
    params,
  );
  const survey = await temp.rows<Stored>(
    `SELECT event_id, 'survey.submitted' AS type, occurred_at, contact_id, nps, csat, fcr, comment, extra
     FROM survey_events FINAL WHERE event_id IN {ids:Array(UUID)}`,
    params,
  );
  const agent = await temp.rows<Stored>(
    `SELECT event_id, 'agent.state' AS type, occurred_at, agent_id, state, queues, extra
     FROM agent_state_events FINAL WHERE event_id IN {ids:Array(UUID)}`,
    params,
  );
  return new Map([...contact, ...survey, ...agent].map((r) => [String(r.event_id), r]));
}

/** What the store must hold for an event, written from the contract (not from the row builder). */
function expected(event: CallcastEvent, ms: number): Stored {
  const e = event as unknown as Record<string, unknown>;
  const base = { event_id: e.event_id, type: e.type, occurred_at: chText(ms), extra: '' };
  if (e.type === 'survey.submitted')
    return {
      ...base,
      contact_id: e.contact_id,
      nps: e.nps ?? null,
      csat: e.csat ?? null,
      fcr: e.fcr ?? null,
      comment: e.comment ?? '',
    };
  if (e.type === 'agent.state') return { ...base, agent_id: e.agent_id, state: e.state, queues: e.queues ?? [] };
  return {
    ...base,
    contact_id: e.contact_id,
    queue: e.queue ?? '',
    channel: e.channel ?? '',
    customer_id: e.customer_id ?? '',
    reason: e.reason ?? '',
    agent_id: e.agent_id ?? '',
    talk_s: e.talk_s ?? 0,
    hold_s: e.hold_s ?? 0,
    wrap_s: e.wrap_s ?? 0,
    transferred: e.transferred ?? null,
    resolved: e.resolved ?? null,
  };
}

const post = (payload: string, type = 'application/json') =>
  app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': type }, payload });

describe('stored exactly as sent', () => {
  it('generated events with hostile strings in every field, as a JSON array or NDJSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(validEvent, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (generated, ndjson) => {
          runs++;
          const events = generated.map(({ event, ms }) => ({
            event: { ...event, event_id: uuidFor(next++) } as CallcastEvent,
            ms,
          }));
          const body = ndjson
            ? events.map((e) => JSON.stringify(e.event)).join('\n')
            : JSON.stringify(events.map((e) => e.event));
          const response = await post(body, ndjson ? 'application/x-ndjson' : 'application/json');
          expect(response.json()).toMatchObject({ accepted: events.length, rejected: 0 });
          const stored = await storedRows(events.map((e) => e.event.event_id));
          for (const { event, ms } of events)
            expect(stored.get(event.event_id), JSON.stringify(event)).toEqual(expected(event, ms));
        },
      ),
      { numRuns: 15 },
    );
    expect(runs).toBe(15);
  });

  it('every SQL-looking and unicode-edge string in every string field and as an unknown field', async () => {
    const strings = [...SQL_LOOKING, ...UNICODE_EDGES];
    const events = strings.map((s, i) => ({
      ...queued(500 + i, { contact_id: s, queue: s, customer_id: s, reason: s, [s === '' ? 'empty' : s]: s }),
    }));
    const response = await post(JSON.stringify(events));
    expect(response.json()).toMatchObject({ accepted: strings.length, rejected: 0 });
    const stored = await storedRows(events.map((e) => e.event_id));
    strings.forEach((s, i) => {
      const row = stored.get(uuidFor(500 + i))!;
      expect([row.contact_id, row.queue, row.customer_id, row.reason], JSON.stringify(s)).toEqual([s, s, s, s]);
      expect(JSON.parse(String(row.extra))).toEqual({ [s]: s });
    });
    // and the tables are all still there
    expect(
      await temp.count('SELECT count() FROM contact_events FINAL WHERE event_id IN {ids:Array(UUID)}', {
        ids: events.map((e) => e.event_id),
      }),
    ).toBe(strings.length);
  });
});

describe('refused items of a batch', () => {
  it('a lone surrogate, 10,000-deep nesting and 70 KB of unknown fields are dead-lettered with their reasons; the valid items are stored (207)', async () => {
    let deep: unknown = 0;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const items = [
      queued(900),
      { ...queued(901), contact_id: 'c\ud800' },
      { ...queued(902), note: deep },
      { ...queued(903), note: 'x'.repeat(70_000) },
      queued(904, { reason: "'); DROP TABLE dead_letters; --" }),
    ];
    const text = `[${items.map((item, i) => (i === 2 ? `${JSON.stringify(queued(902)).slice(0, -1)},"note":${'['.repeat(10_000)}0${']'.repeat(10_000)}}` : JSON.stringify(item))).join(',')}]`;
    const response = await post(text);
    expect(response.statusCode).toBe(207);
    const body = response.json();
    expect(body).toMatchObject({
      accepted: 2,
      rejected: 3,
      errors: [
        { index: 1, error: 'contact_id: not valid Unicode (a lone surrogate)' },
        { index: 2, error: `note${'.0'.repeat(64)}: nested deeper than 64 levels` },
        { index: 3, error: 'unknown fields larger than 65536 bytes' },
      ],
    });
    expect([...(await storedRows([uuidFor(900), uuidFor(904)])).keys()].sort()).toEqual([uuidFor(900), uuidFor(904)]);
    const letters = await temp.rows<{ _item: number; error: string; event_id: string; raw_length: string }>(
      'SELECT _item, error, event_id, length(raw) AS raw_length FROM dead_letters FINAL WHERE _request_id = {id:String} ORDER BY _item',
      { id: body.request_id },
    );
    expect(letters.map((l) => [l._item, l.error, l.event_id])).toEqual([
      [1, 'contact_id: not valid Unicode (a lone surrogate)', uuidFor(901)],
      [2, `note${'.0'.repeat(64)}: nested deeper than 64 levels`, uuidFor(902)],
      [3, 'unknown fields larger than 65536 bytes', uuidFor(903)],
    ]);
    expect(Number(letters[2]!.raw_length)).toBeGreaterThan(70_000);
  });

  it('the same bad payload sent twice is dead-lettered twice (each request is its own delivery)', async () => {
    const first = (await post('{"event_id": 1')).json();
    const second = (await post('{"event_id": 1')).json();
    const n = await temp.count('SELECT count() FROM dead_letters FINAL WHERE _request_id IN {ids:Array(String)}', {
      ids: [first.request_id, second.request_id],
    });
    expect(n).toBe(2);
  });

  it('one batch spanning more than 100 months is stored whole (a partition limit must not refuse it)', async () => {
    const events = Array.from({ length: 120 }, (_, i) =>
      queued(2_000 + i, { occurred_at: new Date(Date.UTC(2010, i, 15)).toISOString() }),
    );
    const response = await post(JSON.stringify(events));
    expect(response.statusCode, response.body).toBe(200);
    expect(
      await temp.count('SELECT count() FROM contact_events FINAL WHERE event_id IN {ids:Array(UUID)}', {
        ids: events.map((e) => e.event_id),
      }),
    ).toBe(120);
  });
});
