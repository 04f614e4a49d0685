// The store reads of the live agents view (src/agents/current.ts) on the real embedded engine:
// agent_current (sql/150) with each insert its own part, unmerged, so the read must merge them,
// and the contacts pass; a late event, a redelivered one and a same-millisecond tie give the raw
// events' answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { agentContacts, agentContactsRaw, currentStates } from '../../src/agents/current.js';

let temp: TempStore;
const uuid = (n: number) => `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;
const st = (n: number, agent: string, time: string, state: string, queues = ['care']) => ({
  event_id: uuid(n),
  occurred_at: `2026-11-02 ${time}.000`,
  agent_id: agent,
  state,
  queues,
});
const ev = (n: number, type: string, c: string, time: string, more: Record<string, unknown> = {}) => ({
  event_id: uuid(n),
  type,
  occurred_at: `2026-11-02 ${time}.000`,
  contact_id: c,
  ...more,
});
const insert = (table: string, values: object[]) => temp.store.client.insert({ table, values, format: 'JSONEachRow' });
const SINCE = '2026-11-01 12:00:00.000';
const NOW = '2026-11-02 12:00:00.000';

beforeAll(async () => {
  temp = await openTempStore();
  // b1: available 10:00, on a contact 10:05, wrap-up 10:10, available 10:12.
  await insert('agent_state_events', [st(1, 'b1', '10:00:00', 'available'), st(2, 'b1', '10:05:00', 'on_contact')]);
  await insert('agent_state_events', [st(3, 'b1', '10:10:00', 'wrap_up'), st(4, 'b1', '10:12:00', 'available')]);
  // Late: available at 10:11 arrives after 10:12 — the run of "available" now starts at 10:11.
  await insert('agent_state_events', [st(5, 'b1', '10:11:00', 'available', ['care', 'sales'])]);
  // Redelivered wrap-up, and a late break far older than everything: neither changes b1.
  await insert('agent_state_events', [st(3, 'b1', '10:10:00', 'wrap_up'), st(6, 'b1', '09:00:00', 'break')]);
  // b2: two states in the same millisecond; the greater event_id (uuid 8 > uuid 7) wins.
  await insert('agent_state_events', [st(8, 'b2', '10:20:00', 'available', ['sales'])]);
  await insert('agent_state_events', [st(7, 'b2', '10:20:00', 'break', ['care'])]);
  // b3: last heard the day before the window.
  await insert('agent_state_events', [
    { ...st(9, 'b3', '10:00:00', 'available'), occurred_at: '2026-10-31 10:00:00.000' },
  ]);
  // Contacts: k1 completed by b1 arrives before its queue event; its completion twice.
  await insert('contact_events', [
    ev(20, 'contact.answered', 'k1', '10:05:00', { agent_id: 'b1' }),
    ev(21, 'contact.completed', 'k1', '10:10:00', { agent_id: 'b1', talk_s: 300, hold_s: 0, wrap_s: 60 }),
  ]);
  await insert('contact_events', [ev(22, 'contact.queued', 'k1', '10:04:00', { queue: 'care', channel: 'voice' })]);
  await insert('contact_events', [
    ev(21, 'contact.completed', 'k1', '10:10:00', { agent_id: 'b1', talk_s: 300, hold_s: 0, wrap_s: 60 }),
  ]);
  // k2: answered by b2 at 10:21, still open; a late answer by b1 at 10:30 does not take it over.
  await insert('contact_events', [
    ev(23, 'contact.queued', 'k2', '10:20:30', { queue: 'sales', channel: 'chat' }),
    ev(24, 'contact.answered', 'k2', '10:21:00', { agent_id: 'b2' }),
  ]);
  await insert('contact_events', [ev(25, 'contact.answered', 'k2', '10:30:00', { agent_id: 'b1' })]);
});

afterAll(async () => {
  await temp?.cleanup();
});

describe('agent_current', () => {
  it('gives the latest state, the start of its run and its queues, whatever the order and repeats', async () => {
    const rows = await currentStates(temp.store.client, SINCE, NOW);
    expect(rows.sort((a, b) => (a.agent_id < b.agent_id ? -1 : 1))).toEqual([
      {
        agent_id: 'b1',
        last_t: '2026-11-02 10:12:00.000',
        state: 'available',
        queues: ['care'],
        since: '2026-11-02 10:11:00.000',
      },
      {
        agent_id: 'b2',
        last_t: '2026-11-02 10:20:00.000',
        state: 'available',
        queues: ['sales'],
        since: '2026-11-02 10:20:00.000',
      },
    ]);
  });

  it('agrees with the raw events on the same-millisecond tie (argMax by occurred_at, event_id)', async () => {
    const raw = await temp.rows<{ s: string }>(
      `SELECT argMax(state, (occurred_at, event_id)) AS s FROM agent_state_events WHERE agent_id = 'b2'`,
    );
    expect(raw).toEqual([{ s: 'available' }]);
  });

  it('answers as of an earlier now from the raw events (the kept latest event lies after it)', async () => {
    const rows = await currentStates(temp.store.client, SINCE, '2026-11-02 10:11:30.000');
    expect(rows.find((r) => r.agent_id === 'b1')).toEqual({
      agent_id: 'b1',
      last_t: '2026-11-02 10:11:00.000',
      state: 'available',
      queues: ['care', 'sales'],
      since: '2026-11-02 10:11:00.000',
    });
  });
});

const PARAMS = {
  since: SINCE,
  now: NOW,
  q_names: [],
  q_from: [],
  q_to: [],
  d_from: '2026-11-02 00:00:00.000',
  d_to: '2026-11-03 00:00:00.000',
};
const byAgent = <T extends { agent_id: string }>(rows: T[]) => rows.sort((a, b) => (a.agent_id < b.agent_id ? -1 : 1));

describe('the contacts pass (agent_contacts)', () => {
  it('gives open contacts, last heard and handled, with a late queue event and a repeated completion', async () => {
    const rows = await agentContacts(temp.store.client, PARAMS);
    const by = Object.fromEntries(rows.map((r) => [r.agent_id, r]));
    // b1: k1 completed (handled once in care, no open contact); heard at its completion 10:10.
    expect(by.b1).toMatchObject({ n_open: 0, heard_at: '2026-11-02 10:10:00.000', handled: ['care'] });
    // b2: k2 open since 10:21 (the first answer is b2's), nothing handled.
    expect(by.b2).toMatchObject({
      open_id: 'k2',
      open_at: '2026-11-02 10:21:00.000',
      open_queue: 'sales',
      n_open: 1,
      heard_at: '2026-11-02 10:21:00.000',
      handled: [],
    });
    expect(Object.keys(by).sort()).toEqual(['b1', 'b2']);
  });

  it("gives the raw pass's answer as a late first answer and a redelivered completion arrive", async () => {
    // k3 (care, queued 10:34): b1 answers at 10:40, then b2's answer at 10:35 arrives late (the
    // first answer, so k3 is b2's), and b1's answer is delivered again.
    const b1Answer = ev(31, 'contact.answered', 'k3', '10:40:00', { agent_id: 'b1' });
    await insert('contact_events', [
      ev(30, 'contact.queued', 'k3', '10:34:00', { queue: 'care', channel: 'voice' }),
      b1Answer,
    ]);
    await insert('contact_events', [ev(32, 'contact.answered', 'k3', '10:35:00', { agent_id: 'b2' }), b1Answer]);
    let by = Object.fromEntries((await agentContacts(temp.store.client, PARAMS)).map((r) => [r.agent_id, r]));
    // b2: k2 (10:21) and k3 (10:35) open, the latest shown; b1 unchanged (heard at 10:10).
    expect(by.b2).toMatchObject({ open_id: 'k3', open_at: '2026-11-02 10:35:00.000', open_queue: 'care', n_open: 2 });
    expect(by.b2).toMatchObject({ heard_at: '2026-11-02 10:35:00.000', handled: [] });
    expect(by.b1).toMatchObject({ n_open: 0, heard_at: '2026-11-02 10:10:00.000', handled: ['care'] });
    expect(byAgent(await agentContacts(temp.store.client, PARAMS))).toEqual(
      byAgent(await agentContactsRaw(temp.store.client, PARAMS)),
    );
    // b2 completes k3 at 10:50, the completion sent twice in one batch: handled once, k2 still open.
    const done = ev(33, 'contact.completed', 'k3', '10:50:00', { agent_id: 'b2', talk_s: 600, hold_s: 0, wrap_s: 0 });
    await insert('contact_events', [done, done]);
    by = Object.fromEntries((await agentContacts(temp.store.client, PARAMS)).map((r) => [r.agent_id, r]));
    expect(by.b2).toMatchObject({ open_id: 'k2', open_at: '2026-11-02 10:21:00.000', n_open: 1 });
    expect(by.b2).toMatchObject({ heard_at: '2026-11-02 10:50:00.000', handled: ['care'] });
    expect(byAgent(await agentContacts(temp.store.client, PARAMS))).toEqual(
      byAgent(await agentContactsRaw(temp.store.client, PARAMS)),
    );
    // As of 10:45 the completion has not happened yet: k3 is open again, as in the raw pass.
    const earlier = { ...PARAMS, now: '2026-11-02 10:45:00.000' };
    by = Object.fromEntries((await agentContacts(temp.store.client, earlier)).map((r) => [r.agent_id, r]));
    expect(by.b2).toMatchObject({ open_id: 'k3', n_open: 2, handled: [] });
    expect(byAgent(await agentContacts(temp.store.client, earlier))).toEqual(
      byAgent(await agentContactsRaw(temp.store.client, earlier)),
    );
  });
});
