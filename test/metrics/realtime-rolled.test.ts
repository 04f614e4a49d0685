// The wallboard's today with its settled half-hours from the rollup (through this process's cache)
// and the rest live: equal to today computed from per-contact state alone, before and after late
// events are re-rolled, with the cache warm or cold, across two time zones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { testApp } from '../support/app.js';
import { snapshotAll } from '../../src/metrics/realtime.js';
import { reroll } from '../../src/metrics/rollup.js';
import { saveSettings } from '../../src/metrics/settings.js';
import { referenceSnapshotAll } from './realtime-reference.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof testApp>>['app'];

const DAY = Date.parse('2026-11-18T00:00:00Z');
const NOW = Date.parse('2026-11-18T14:20:00Z'); // rolled up to 12:00 (settled: ended 2 h before)
const LATER = Date.parse('2026-11-18T15:05:00Z');
const MIN = 60_000;

let n = 0;
const id = () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** One contact queued at `at` in `queue`: answered after `wait` s and completed, or abandoned. */
function contact(queue: string, at: number, wait: number, answered: boolean, customer: string): unknown[] {
  const contactId = `${queue}-${at}`;
  const base = { contact_id: contactId };
  const out: unknown[] = [
    {
      event_id: id(),
      type: 'contact.queued',
      occurred_at: iso(at),
      queue,
      channel: 'voice',
      customer_id: customer,
      ...base,
    },
  ];
  if (answered) {
    out.push({ event_id: id(), type: 'contact.answered', occurred_at: iso(at + wait * 1000), agent_id: 'a1', ...base });
    out.push({
      event_id: id(),
      type: 'contact.completed',
      occurred_at: iso(at + wait * 1000 + 5 * MIN),
      agent_id: 'a1',
      talk_s: 240,
      hold_s: 10,
      wrap_s: 50,
      ...base,
    });
    out.push({
      event_id: id(),
      type: 'survey.submitted',
      occurred_at: iso(at + 10 * MIN),
      nps: 9,
      csat: 4,
      fcr: true,
      ...base,
    });
  } else out.push({ event_id: id(), type: 'contact.abandoned', occurred_at: iso(at + wait * 1000), ...base });
  return out;
}

function day(): unknown[] {
  const out: unknown[] = [];
  // Every 25 minutes from 22:00 the day before to 14:15: waits of 5–65 s, one in four abandoned.
  for (let t = DAY - 2 * 60 * MIN, i = 0; t <= NOW - 5 * MIN; t += 25 * MIN, i++) {
    out.push(...contact('billing', t, 5 + ((i * 13) % 60), i % 4 !== 0, `cu${i % 7}`));
    out.push(...contact('sales', t + 7 * MIN, 5 + ((i * 17) % 60), i % 4 !== 1, `cu${i % 5}`));
  }
  for (let t = DAY - 3 * 60 * MIN, i = 0; t < NOW; t += 40 * MIN, i++) {
    const state = ['available', 'on_contact', 'wrap_up', 'break'][i % 4];
    out.push({
      event_id: id(),
      type: 'agent.state',
      occurred_at: iso(t),
      agent_id: 'a1',
      state,
      queues: ['billing', 'sales'],
    });
  }
  return out;
}

async function post(events: unknown[]) {
  for (let i = 0; i < events.length; i += 500) {
    const response = await app.inject({ method: 'POST', url: '/v1/events', payload: events.slice(i, i + 500) });
    expect(response.json(), response.body.slice(0, 600)).toMatchObject({ rejected: 0 });
  }
}

const view = (client: ClickHouseClient) => Object.create(client) as ClickHouseClient;

beforeAll(async () => {
  temp = await openTempStore();
  ({ app } = await testApp(temp.store));
  await saveSettings(temp.store.client, 'sales', { time_zone: 'America/New_York' }, 'test', 0, NOW);
  await post(day());
  await reroll(temp.store.client, { now: NOW });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

describe('today from the rollup and live equals today from scratch', () => {
  it('rolled half-hours are used, and the answer equals the from-scratch one, cold and warm', async () => {
    const [rolled] = await temp.rows<{ n: string }>(
      'SELECT count() AS n FROM contact_rollup WHERE is_roll = 1 AND bucket >= {from:Int64} AND bucket < {to:Int64}',
      { from: DAY, to: NOW },
    );
    expect(Number(rolled!.n)).toBeGreaterThan(20);
    const client = view(temp.store.client);
    const expected = await referenceSnapshotAll(temp.store.client, NOW, undefined, true);
    expect(expected.find((s) => s.queue === 'billing')!.today.counts.offered).toBeGreaterThan(30);
    expect(await snapshotAll(client, NOW)).toEqual(expected);
    expect(await snapshotAll(client, NOW)).toEqual(expected);
    expect(await snapshotAll(client, NOW, 'sales')).toEqual(expected.filter((s) => s.queue === 'sales'));
  });

  it('late events in rolled half-hours count once re-rolled; the warm cache follows the new roll', async () => {
    const client = view(temp.store.client);
    await snapshotAll(client, LATER); // warm
    // A contact queued at 09:10 arrives late, and an agent state at 08:00.
    await post([
      ...contact('billing', DAY + 9 * 60 * MIN + 10 * MIN, 12, true, 'cu-late'),
      {
        event_id: id(),
        type: 'agent.state',
        occurred_at: iso(DAY + 8 * 60 * MIN),
        agent_id: 'a2',
        state: 'available',
        queues: ['billing'],
      },
    ]);
    await reroll(temp.store.client, { now: LATER });
    const expected = await referenceSnapshotAll(temp.store.client, LATER, undefined, true);
    const billing = expected.find((s) => s.queue === 'billing')!;
    expect(billing.half_hours.find((h) => h.start === '2026-11-18T09:00:00.000Z')!.offered).toBe(2); // 09:15 and the late 09:10
    expect(await snapshotAll(client, LATER)).toEqual(expected);
    expect(await snapshotAll(view(temp.store.client), LATER)).toEqual(expected);
  });
});
