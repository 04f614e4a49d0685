import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { testApp } from '../support/app.js';
import { queued, uuidFor } from '../support/events.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof testApp>>['app'];

beforeAll(async () => {
  temp = await openTempStore();
  ({ app } = await testApp(temp.store));
});
afterAll(async () => {
  await app.close();
  await temp.cleanup();
});

const post = (body: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': contentType }, payload: body });

describe('POST /v1/events', () => {
  it('stores one event and answers 200', async () => {
    const response = await post(JSON.stringify(queued(1)));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 1, rejected: 0, errors: [] });
    expect(
      await temp.count('SELECT count() FROM contact_events FINAL WHERE event_id = {id:UUID}', { id: uuidFor(1) }),
    ).toBe(1);
  });

  it('keeps the valid items of a mixed array, dead-letters the rest, and answers 207 with per-item errors', async () => {
    const bad = { ...queued(12), nps: 3, channel: 'pigeon' };
    const response = await post(JSON.stringify([queued(10), bad, queued(11), 'nope']));
    expect(response.statusCode).toBe(207);
    const body = response.json();
    expect(body).toMatchObject({ accepted: 2, rejected: 2 });
    expect(body.errors).toEqual([
      { index: 1, error: 'channel: must be equal to one of the allowed values' },
      { index: 3, error: 'an event must be a JSON object' },
    ]);
    const letters = await temp.rows<{
      raw: string;
      error: string;
      _request_id: string;
      _item: number;
      event_id: string;
    }>(
      'SELECT raw, error, _request_id, _item, event_id FROM dead_letters FINAL WHERE _request_id = {r:String} ORDER BY _item',
      { r: body.request_id },
    );
    expect(letters.map((l) => [l._item, l.error, l.event_id])).toEqual([
      [1, 'channel: must be equal to one of the allowed values', uuidFor(12)],
      [3, 'an event must be a JSON object', ''],
    ]);
    expect(JSON.parse(letters[0]!.raw)).toEqual(bad);
    expect(
      await temp.count('SELECT count() FROM contact_events FINAL WHERE event_id IN ({a:UUID}, {b:UUID})', {
        a: uuidFor(10),
        b: uuidFor(11),
      }),
    ).toBe(2);
  });

  it('takes NDJSON, one event per line, reporting bad lines by index', async () => {
    const lines = [JSON.stringify(queued(20)), '', '{oops', JSON.stringify(queued(21))].join('\n');
    const response = await post(lines, 'application/x-ndjson');
    expect(response.statusCode).toBe(207);
    expect(response.json()).toMatchObject({ accepted: 2, rejected: 1 });
    expect(response.json().errors[0].index).toBe(1);
    expect(response.json().errors[0].error).toMatch(/^invalid JSON/);
  });

  it('answers 400 when nothing is valid, still keeping the raw body in dead_letters', async () => {
    const response = await post('{"event_id": "x", ');
    expect(response.statusCode).toBe(400);
    const { request_id } = response.json();
    const [letter] = await temp.rows<{ raw: string }>('SELECT raw FROM dead_letters WHERE _request_id = {r:String}', {
      r: request_id,
    });
    expect(letter?.raw).toBe('{"event_id": "x", ');
  });

  it('counts an event delivered twice once, in separate requests and inside one', async () => {
    const twice = queued(30, { reason: 'billing question' });
    await post(JSON.stringify(twice));
    await post(JSON.stringify([twice, twice]));
    expect(
      await temp.count('SELECT count() FROM contact_events FINAL WHERE event_id = {id:UUID}', { id: uuidFor(30) }),
    ).toBe(1);
  });

  it('refuses a body over the size limit with 413, storing nothing', async () => {
    const before = await temp.count('SELECT count() FROM contact_events');
    const response = await post(JSON.stringify([queued(40, { pad: 'x'.repeat(17 * 1024 * 1024) })]));
    expect(response.statusCode).toBe(413);
    expect(await temp.count('SELECT count() FROM contact_events')).toBe(before);
  });

  it('reports readiness of the store and serves metrics and the OpenAPI document', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/readyz')).json()).toEqual({
      status: 'ready',
      store: { kind: 'embedded', reachable: true },
    });
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/callcast_events_stored_total\{table="contact_events"\} \d+/);
    const spec = (await app.inject('/docs/json')).json();
    expect(Object.keys(spec.paths)).toContain('/v1/events');
  });
});
