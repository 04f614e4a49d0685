// GET /v1/agents on the real embedded engine, every figure worked out by hand: states and time
// in state, the stale-state timeout, open contacts, handled today in each queue's local day,
// attention limits and order, a late and a redelivered event, an agent no state event names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from '../api/helpers.js';
import { agentSilenceMs, DEFAULT_AGENT_SILENCE_MS } from '../../src/agents/config.js';
import type { LiveAgents } from '../../src/agents/live.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let now = Date.parse('2026-11-02T10:00:00Z');

let n = 0;
const id = () => `00000000-0000-4000-9000-${(++n).toString(16).padStart(12, '0')}`;
const at = (hhmm: string, day = '2026-11-02') => `${day}T${hhmm}:00Z`;

const state = (agent: string, time: string, s: string, queues: string[], eventId = id()) => ({
  event_id: eventId,
  type: 'agent.state',
  occurred_at: time,
  agent_id: agent,
  state: s,
  queues,
});
const queued = (c: string, time: string, queue: string) => ({
  event_id: id(),
  type: 'contact.queued',
  occurred_at: time,
  contact_id: c,
  queue,
  channel: 'voice',
});
const answered = (c: string, time: string, agent: string) => ({
  event_id: id(),
  type: 'contact.answered',
  occurred_at: time,
  contact_id: c,
  agent_id: agent,
});
const completed = (c: string, time: string, agent: string) => ({
  event_id: id(),
  type: 'contact.completed',
  occurred_at: time,
  contact_id: c,
  agent_id: agent,
  talk_s: 300,
  hold_s: 0,
  wrap_s: 60,
});

async function post(events: object[]) {
  const r = await app.inject({ method: 'POST', url: '/v1/events', payload: events });
  expect(r.statusCode, r.body).toBe(200);
  expect((r.json() as { rejected: number }).rejected ?? 0).toBe(0);
}

async function agents(query = ''): Promise<LiveAgents> {
  const r = await app.inject({ method: 'GET', url: `/v1/agents${query}` });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as LiveAgents;
}

const dup = state('a5', at('09:58'), 'on_contact', ['tokyo']);

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { now: () => now, agentSilenceMs: 15 * 60_000 });
  // Tokyo's day (UTC+9) began at 2026-11-01T15:00Z; billing's (UTC) at 2026-11-02T00:00Z.
  const tz = await app.inject({
    method: 'PUT',
    url: '/v1/queues/tokyo/settings',
    payload: { time_zone: 'Asia/Tokyo', effective_from: '2000-01-01T00:00:00Z' },
  });
  expect(tz.statusCode, tz.body).toBe(200);
  const limits = await app.inject({
    method: 'PUT',
    url: '/v1/agents/limits/billing',
    payload: { wrap_up_limit_s: 240, break_limit_s: 300 },
  });
  expect(limits.statusCode, limits.body).toBe(200);
  await post([
    // a1: available twice (the clock does not restart), on a contact, wrapping up since 09:55.
    state('a1', at('09:00'), 'available', ['billing']),
    state('a1', at('09:30'), 'available', ['billing']),
    state('a1', at('09:50'), 'on_contact', ['billing']),
    state('a1', at('09:55'), 'wrap_up', ['billing']),
    queued('c1', at('09:49'), 'billing'),
    answered('c1', at('09:50'), 'a1'),
    // Handled today (queued 08:00 UTC, billing's day).
    queued('c0', at('08:00'), 'billing'),
    answered('c0', at('08:01'), 'a1'),
    completed('c0', at('08:10'), 'a1'),
    // Completed today but queued yesterday in billing's zone: not today's.
    queued('cy', at('23:00', '2026-11-01'), 'billing'),
    answered('cy', at('23:30', '2026-11-01'), 'a1'),
    completed('cy', at('00:05'), 'a1'),
    // a2: on a break since 09:50.
    state('a2', at('09:20'), 'available', ['billing']),
    state('a2', at('09:50'), 'break', ['billing']),
    // a3: available, then silent for 30 minutes.
    state('a3', at('09:30'), 'available', ['billing']),
    // a4: offline since 07:00 (offline never times out).
    state('a4', at('07:00'), 'offline', ['billing']),
    // a5: on a contact since 09:58; handled one contact queued on Tokyo's day (01:00 JST).
    dup,
    queued('t1', at('16:00', '2026-11-01'), 'tokyo'),
    answered('t1', at('16:01', '2026-11-01'), 'a5'),
    completed('t1', at('16:10', '2026-11-01'), 'a5'),
    // "ghost" sent no agent.state at all: named only by a contact it answered.
    queued('g1', at('09:58'), 'billing'),
    answered('g1', at('09:59'), 'ghost'),
  ]);
  // Late: an earlier state of a5 arrives after its later one, and its 09:58 event again.
  await post([state('a5', at('09:57'), 'available', ['tokyo']), dup]);
});

afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

describe('GET /v1/agents', () => {
  it('gives each agent its state, time in state, contact and handled today, in attention order', async () => {
    const body = await agents();
    expect(body.generated_at).toBe('2026-11-02T10:00:00.000Z');
    expect(body.silence_s).toBe(900);
    // a2: 600 s on a break, limit 300 → 300 over; a1: 300 s in wrap-up, limit 240 → 60 over;
    // a3: silent 1,800 s > 900 → unknown; ghost: unknown (no state event), heard 60 s ago;
    // a5: on a contact 120 s; a4: offline 3 h.
    expect(body.agents.map((a) => a.agent_id)).toEqual(['a2', 'a1', 'a3', 'ghost', 'a5', 'a4']);
    const by = Object.fromEntries(body.agents.map((a) => [a.agent_id, a]));
    expect(by.a1).toEqual({
      agent_id: 'a1',
      state: 'wrap_up',
      reported_state: 'wrap_up',
      state_since: '2026-11-02T09:55:00.000Z',
      time_in_state_s: 300,
      last_heard_at: '2026-11-02T09:55:00.000Z',
      silent_s: 300,
      queues: ['billing'],
      contact: { contact_id: 'c1', queue: 'billing', answered_at: '2026-11-02T09:50:00.000Z' },
      queue: 'billing',
      handled_today: 1,
      handled_today_by_queue: { billing: 1 },
      limit_s: 240,
      over_limit_s: 60,
      attention: 'over_limit',
    });
    expect(by.a2).toMatchObject({
      state: 'break',
      time_in_state_s: 600,
      limit_s: 300,
      over_limit_s: 300,
      attention: 'over_limit',
      contact: null,
      handled_today: 0,
    });
    expect(by.a3).toMatchObject({
      state: 'unknown',
      reported_state: 'available',
      state_since: '2026-11-02T09:30:00.000Z',
      time_in_state_s: 1800,
      silent_s: 1800,
      attention: 'unknown',
      limit_s: null,
    });
    expect(by.ghost).toMatchObject({
      state: 'unknown',
      reported_state: null,
      queues: [],
      contact: { contact_id: 'g1', queue: 'billing', answered_at: '2026-11-02T09:59:00.000Z' },
      queue: 'billing',
      time_in_state_s: 60,
      attention: 'unknown',
    });
    // The late 09:57 "available" and the redelivered 09:58 event change nothing.
    expect(by.a5).toMatchObject({
      state: 'on_contact',
      state_since: '2026-11-02T09:58:00.000Z',
      time_in_state_s: 120,
      queues: ['tokyo'],
      contact: null,
      handled_today: 1,
      handled_today_by_queue: { tokyo: 1 },
      attention: null,
    });
    expect(by.a4).toMatchObject({ state: 'offline', time_in_state_s: 3 * 3600, silent_s: 3 * 3600, attention: null });
    expect(body.counts).toEqual({
      available: 0,
      on_contact: 1,
      wrap_up: 1,
      break: 1,
      training: 0,
      offline: 1,
      unknown: 2,
    });
  });

  it('filters by queue: the queues an agent serves, its open contact, or handled today', async () => {
    expect((await agents('?queue=tokyo')).agents.map((a) => a.agent_id)).toEqual(['a5']);
    expect((await agents('?queue=billing')).agents.map((a) => a.agent_id)).toEqual(['a2', 'a1', 'a3', 'ghost', 'a4']);
    expect((await agents('?queue=nowhere')).agents).toEqual([]);
  });

  it('times a silent state out to unknown after the silence limit, and not before', async () => {
    // At 10:05 a2 has been silent 900 s (not more): still on a break, 600 s over its limit.
    now = Date.parse('2026-11-02T10:05:00Z');
    let by = Object.fromEntries((await agents()).agents.map((a) => [a.agent_id, a]));
    expect(by.a2).toMatchObject({ state: 'break', time_in_state_s: 900, over_limit_s: 600 });
    // One second later it is unknown, its last state kept beside; a1 (silent 601 s) still wraps up.
    now = Date.parse('2026-11-02T10:05:01Z');
    by = Object.fromEntries((await agents()).agents.map((a) => [a.agent_id, a]));
    expect(by.a2).toMatchObject({
      state: 'unknown',
      reported_state: 'break',
      state_since: '2026-11-02T09:50:00.000Z',
      silent_s: 901,
      limit_s: null,
      over_limit_s: null,
      attention: 'unknown',
    });
    expect(by.a1).toMatchObject({ state: 'wrap_up', over_limit_s: 361 });
    expect(by.a4!.state).toBe('offline');
    // A new event brings it back: available since 10:05.
    await post([state('a2', at('10:05'), 'available', ['billing'])]);
    by = Object.fromEntries((await agents()).agents.map((a) => [a.agent_id, a]));
    expect(by.a2).toMatchObject({ state: 'available', time_in_state_s: 1, attention: null });
    now = Date.parse('2026-11-02T10:00:00Z');
  });

  it('reads the silence limit from CALLCAST_AGENT_SILENCE_S', () => {
    expect(agentSilenceMs({})).toBe(DEFAULT_AGENT_SILENCE_MS);
    expect(DEFAULT_AGENT_SILENCE_MS).toBe(900_000);
    expect(agentSilenceMs({ CALLCAST_AGENT_SILENCE_S: '3600' })).toBe(3_600_000);
    expect(() => agentSilenceMs({ CALLCAST_AGENT_SILENCE_S: '15m' })).toThrow(/CALLCAST_AGENT_SILENCE_S/);
    expect(() => agentSilenceMs({ CALLCAST_AGENT_SILENCE_S: '5' })).toThrow(/CALLCAST_AGENT_SILENCE_S/);
  });

  it('lists attention limits and refuses bad ones', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/agents/limits' });
    expect(r.statusCode).toBe(200);
    const queues = (r.json() as { queues: Array<{ queue: string; wrap_up_limit_s: number; default: boolean }> }).queues;
    expect(queues.map((q) => [q.queue, q.wrap_up_limit_s, q.default])).toEqual([
      ['billing', 240, false],
      ['tokyo', 120, true],
    ]);
    const bad = await app.inject({
      method: 'PUT',
      url: '/v1/agents/limits/billing',
      payload: { wrap_up_limit_s: 0, break_limit_s: 300 },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('streams the same answer as Server-Sent Events', async () => {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    const response = await fetch(`${base}/v1/agents/stream?queue=tokyo&interval_ms=250`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('event: agents\ndata: ') || !text.slice(text.indexOf('event: agents')).includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const data = text.slice(text.indexOf('event: agents\ndata: ') + 'event: agents\ndata: '.length).split('\n\n')[0]!;
    const body = JSON.parse(data) as LiveAgents;
    expect(body.queue).toBe('tokyo');
    expect(body.agents.map((a) => [a.agent_id, a.state, a.time_in_state_s])).toEqual([['a5', 'on_contact', 120]]);
  });
});
