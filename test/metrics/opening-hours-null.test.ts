// The opening-hours example of docs/api.md, sent as written: `"sun": null` closes Sunday.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSlots } from '../../src/staffing/local.js';
import { metricsApp } from '../api/helpers.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(async () => temp?.cleanup());

/** The JSON in backticks after `opening_hours` in docs/api.md's settings route. */
function documentedExample(): unknown {
  const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const m = /`opening_hours`\s*\(`(\{[^`]*\})`\)/.exec(doc);
  if (!m) throw new Error('docs/api.md: no opening_hours example');
  return JSON.parse(m[1]!);
}

it('accepts the documented opening_hours example with "sun": null and keeps null as closed', async () => {
  const example = documentedExample();
  expect(example).toEqual({ mon: [['08:00', '20:00']], sun: null });
  const app = await metricsApp(temp.store);
  try {
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/queues/billing/settings',
      payload: { opening_hours: example },
    });
    expect(put.statusCode).toBe(200);
    const got = await app.inject({ method: 'GET', url: '/v1/queues/billing/settings' });
    const stored = got.json<{ current: { version: number; settings: { opening_hours: unknown } } }>();
    expect(stored.current.version).toBe(1);
    expect(stored.current.settings.opening_hours).toEqual({ mon: [['08:00', '20:00']], sun: null });
    // Monday open 08:00–20:00 (slots 16–39), Sunday closed all day, Tuesday (absent) open.
    const slots = openSlots({ mon: [['08:00', '20:00']], sun: null });
    expect(slots.slice(0, 48).reduce((a, b) => a + b, 0)).toBe(24);
    expect(slots[16]).toBe(1);
    expect(slots[15]).toBe(0);
    expect(slots.slice(6 * 48, 7 * 48).reduce((a, b) => a + b, 0)).toBe(0);
    expect(slots.slice(48, 96).reduce((a, b) => a + b, 0)).toBe(48);
    // A one-range day stays a list of ranges (type coercion must not unwrap it), a bad time is refused.
    const two = await app.inject({
      method: 'PUT',
      url: '/v1/queues/billing/settings',
      payload: { opening_hours: { sat: [['09:00', '13:00']], sun: [] } },
    });
    expect(two.statusCode).toBe(200);
    expect(two.json<{ current: { settings: { opening_hours: unknown } } }>().current.settings.opening_hours).toEqual({
      sat: [['09:00', '13:00']],
      sun: [],
    });
    const bad = await app.inject({
      method: 'PUT',
      url: '/v1/queues/billing/settings',
      payload: { opening_hours: { sun: null, mon: [['8am', '20:00']] } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ field: string }>().field).toBe('opening_hours.mon.0.0');
  } finally {
    await app.close();
  }
});
