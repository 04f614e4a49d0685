// The rollup of settled half-hours answers exactly as the from-scratch computation
// (queryMetricsFromScratch), over random histories: contacts in two queues and two channels,
// repeat customers, surveys, events redelivered, events and whole contacts arriving after their
// half-hours were rolled, a contact's earlier duplicate `contact.queued` arriving late (it moves
// to another half-hour), and a retroactive settings change after the roll. Checked for every
// interval size (30m, 1h, 1d, and the whole range in `total`), each queue and all, one channel,
// and at several `now`s (repeat-contact FCR windows close between them). Agent states too (the
// agent-time rollup behind occupancy): states of three agents serving one or both queues, some
// arriving after the roll (a late state cuts the one before it), redelivered, out of order, two at
// the same instant, gaps longer than a day; and the wallboard's day (computed live) against
// the from-scratch figures of that day. Ranges read before the late events are read again after
// their re-roll, through the process's cache of rolled half-hours.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { testApp } from '../support/app.js';
import { queryMetrics, queryMetricsFromScratch, type MetricsQuery } from '../../src/metrics/query.js';
import { snapshotAll } from '../../src/metrics/realtime.js';
import { startOfLocalDay, nextLocalDay } from '../../src/metrics/tz.js';
import { readRollup, reroll, SETTLE_MS } from '../../src/metrics/rollup.js';
import { loadVersions, saveSettings } from '../../src/metrics/settings.js';
import type { CallcastEvent } from '../../src/events/index.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof testApp>>['app'];
// Worlds 10 days apart, ending well before the real now (events in the future are refused).
const T0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 1000 * 86_400_000;
const DAY = 86_400_000;
const SPAN = 3 * DAY; // contacts are queued in [base, base + SPAN)
let world = 0; // each property execution (shrinks included) gets its own queues, customers and 10 days
let eventNo = 0;

beforeAll(async () => {
  temp = await openTempStore();
  ({ app } = await testApp(temp.store));
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

async function post(events: CallcastEvent[]) {
  for (let i = 0; i < events.length; i += 500) {
    const response = await app.inject({ method: 'POST', url: '/v1/events', payload: events.slice(i, i + 500) });
    expect(response.json()).toMatchObject({ rejected: 0 });
  }
}

const contactArb = fc.record({
  queue: fc.integer({ min: 0, max: 1 }),
  channel: fc.integer({ min: 0, max: 1 }),
  customer: fc.option(fc.integer({ min: 0, max: 3 })),
  reason: fc.option(fc.integer({ min: 0, max: 2 })),
  doneReason: fc.option(fc.integer({ min: 0, max: 2 })),
  at: fc.integer({ min: 0, max: SPAN - 1 }),
  outcome: fc.constantFrom('answered', 'answered', 'abandoned', 'waiting', 'completed_only'),
  waitMs: fc.integer({ min: 0, max: 120_000 }),
  talk: fc.integer({ min: 0, max: 900 }),
  hold: fc.integer({ min: 0, max: 60 }),
  wrap: fc.integer({ min: 0, max: 120 }),
  transferred: fc.boolean(),
  survey: fc.option(
    fc.record({
      nps: fc.option(fc.integer({ min: 0, max: 10 })),
      csat: fc.option(fc.integer({ min: 1, max: 5 })),
      fcr: fc.option(fc.boolean()),
      afterMs: fc.integer({ min: 0, max: 2 * DAY }),
    }),
  ),
  /** 'A' arrives before the first roll; 'B' all after it; 'split' its queued event before, the rest after. */
  arrival: fc.constantFrom('A', 'A', 'B', 'split'),
  /** A second contact.queued of the same contact, this much earlier, arriving after the roll. */
  earlierDuplicateMs: fc.option(fc.integer({ min: 1, max: 2 * 3_600_000 }), { freq: 6 }),
  redeliver: fc.boolean(),
});

const agentArb = fc.record({
  agent: fc.integer({ min: 0, max: 2 }),
  /** From a day before the contacts to a day after them: states reach into the range from before it. */
  at: fc.integer({ min: -DAY, max: SPAN + DAY }),
  /** Whole minutes (or, for some, the instant of the agent's previous state: two at once). */
  minute: fc.boolean(),
  state: fc.constantFrom('available', 'available', 'on_contact', 'wrap_up', 'break', 'offline'),
  queues: fc.constantFrom([0], [1], [0, 1]),
  /** 'A' arrives before the first roll, 'B' after it (late: it cuts a rolled state). */
  arrival: fc.constantFrom('A', 'A', 'B'),
  redeliver: fc.boolean(),
});

const historyArb = fc.record({
  contacts: fc.array(contactArb, { minLength: 1, maxLength: 30 }),
  agents: fc.array(agentArb, { maxLength: 16 }),
  tz: fc.constantFrom('UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu'),
  v1: fc.record({
    threshold_s: fc.integer({ min: 5, max: 60 }),
    short_abandon_s: fc.integer({ min: 0, max: 10 }),
    fcr_window_days: fc.integer({ min: 1, max: 3 }),
  }),
  change: fc.option(
    fc.record({
      queue: fc.integer({ min: 0, max: 1 }),
      at: fc.integer({ min: 0, max: SPAN }),
      threshold_s: fc.integer({ min: 5, max: 60 }),
      short_abandon_s: fc.integer({ min: 0, max: 10 }),
      fcr_window_days: fc.integer({ min: 1, max: 3 }),
    }),
  ),
  firstRollAt: fc.integer({ min: 0, max: SPAN }),
});

type Contact = typeof contactArb extends fc.Arbitrary<infer T> ? T : never;
type AgentState = typeof agentArb extends fc.Arbitrary<infer T> ? T : never;

/** Agent state events: [before the first roll, after it]. */
function agentEventsOf(w: number, base: number, states: AgentState[]): [CallcastEvent[], CallcastEvent[]] {
  const before: CallcastEvent[] = [];
  const after: CallcastEvent[] = [];
  // Rounded to the minute, or the instant of the previous state of the list: two at once.
  const times: number[] = [];
  states.forEach((a, i) => times.push(a.minute || i === 0 ? base + Math.floor(a.at / 60_000) * 60_000 : times[i - 1]!));
  states.forEach((a, i) => {
    const at = times[i]!;
    const event = {
      event_id: uuid(),
      type: 'agent.state',
      occurred_at: iso(at),
      agent_id: `w${w}-a${a.agent}`,
      state: a.state,
      queues: a.queues.map((q) => `w${w}-q${q}`),
    } as CallcastEvent;
    const list = a.arrival === 'A' ? before : after;
    list.push(event, ...(a.redeliver ? [event] : []));
  });
  return [before, after];
}

const iso = (ms: number) => new Date(ms).toISOString();
const uuid = () => `00000000-0000-4000-8000-${(++eventNo).toString(16).padStart(12, '0')}`;

/** Events of one contact: [before the first roll, after it]. */
function eventsOf(w: number, base: number, i: number, c: Contact): [CallcastEvent[], CallcastEvent[]] {
  const id = `w${w}-c${i}`;
  const q = base + c.at;
  const queued = {
    event_id: uuid(),
    type: 'contact.queued',
    occurred_at: iso(q),
    contact_id: id,
    queue: `w${w}-q${c.queue}`,
    channel: ['voice', 'chat'][c.channel],
    ...(c.customer === null ? {} : { customer_id: `w${w}-cu${c.customer}` }),
    ...(c.reason === null ? {} : { reason: `r${c.reason}` }),
  } as CallcastEvent;
  const rest: CallcastEvent[] = [];
  const end = q + c.waitMs;
  if (c.outcome === 'answered')
    rest.push({
      event_id: uuid(),
      type: 'contact.answered',
      occurred_at: iso(end),
      contact_id: id,
      agent_id: 'a1',
    } as CallcastEvent);
  if (c.outcome === 'abandoned')
    rest.push({ event_id: uuid(), type: 'contact.abandoned', occurred_at: iso(end), contact_id: id } as CallcastEvent);
  const completed = end + (c.talk + c.hold + c.wrap) * 1000;
  if (c.outcome === 'answered' || c.outcome === 'completed_only') {
    rest.push({
      event_id: uuid(),
      type: 'contact.completed',
      occurred_at: iso(completed),
      contact_id: id,
      agent_id: 'a1',
      talk_s: c.talk,
      hold_s: c.hold,
      wrap_s: c.wrap,
      transferred: c.transferred,
      ...(c.doneReason === null ? {} : { reason: `r${c.doneReason}` }),
    } as CallcastEvent);
    if (c.survey) {
      const answers = Object.fromEntries(Object.entries(c.survey).filter(([k, v]) => k !== 'afterMs' && v !== null));
      rest.push({
        event_id: uuid(),
        type: 'survey.submitted',
        occurred_at: iso(completed + c.survey.afterMs),
        contact_id: id,
        ...answers,
      } as CallcastEvent);
    }
  }
  const late: CallcastEvent[] = [];
  if (c.earlierDuplicateMs !== null)
    late.push({ ...queued, event_id: uuid(), occurred_at: iso(q - c.earlierDuplicateMs) });
  const again = c.redeliver ? [queued, ...rest] : [];
  if (c.arrival === 'A') return [[queued, ...rest, ...again], late];
  if (c.arrival === 'split') return [[queued], [...rest, ...late, ...again]];
  return [[], [...rest, queued, ...late, ...again]];
}

describe('rollup of settled half-hours', () => {
  it('equals the from-scratch figures for every interval, queue, channel and now', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async (h) => {
        const w = ++world;
        const base = T0 + w * 10 * DAY;
        const queues = [`w${w}-q0`, `w${w}-q1`];
        await saveSettings(temp.store.client, queues[0]!, { ...h.v1, time_zone: h.tz }, 'test', base - DAY, base);
        const before: CallcastEvent[] = [];
        const after: CallcastEvent[] = [];
        h.contacts.forEach((c, i) => {
          const [a, b] = eventsOf(w, base, i, c);
          before.push(...a);
          after.push(...b);
        });
        const [agentsBefore, agentsAfter] = agentEventsOf(w, base, h.agents);
        before.push(...agentsBefore);
        after.push(...agentsAfter);
        // Out of order within each delivery as well.
        await post(before.reverse());
        await reroll(temp.store.client, { now: base + h.firstRollAt });
        const from = base;
        const to = base + SPAN + DAY;
        const rollNow = base + SPAN + 3_600_000;
        // Read every range once here, so that the reads below bring this process's cache of
        // rolled half-hours up to date from the rows rolled since (not a fresh read).
        for (const queue of [queues[0], queues[1], undefined])
          for (const interval of ['30m', '1h', '1d'] as const)
            await queryMetrics(temp.store.client, { queue, from, to, interval, now: rollNow });
        await queryMetrics(temp.store.client, {
          queue: queues[0],
          channel: 'chat',
          from,
          to,
          interval: '1h',
          now: rollNow,
        });
        await post(after.reverse());
        await reroll(temp.store.client, { now: rollNow });
        // A retroactive settings change is exact at once, before any re-roll.
        if (h.change) {
          const { queue, at, ...values } = h.change;
          await saveSettings(temp.store.client, queues[queue]!, values, 'test', base + at, base + SPAN);
        }
        const same = async (q: MetricsQuery) =>
          expect(await queryMetrics(temp.store.client, q), JSON.stringify(q)).toEqual(
            await queryMetricsFromScratch(temp.store.client, q),
          );
        for (const now of [rollNow, rollNow + DAY, rollNow + 5 * DAY]) {
          for (const queue of [queues[0], queues[1], undefined]) {
            for (const interval of ['30m', '1h', '1d'] as const) await same({ queue, from, to, interval, now });
          }
        }
        await same({ queue: queues[0], channel: 'chat', from, to, interval: '1h', now: rollNow });
        // The wallboard's day equals that day from scratch (the same one-day rule for agent states).
        for (const now of [base + 2 * DAY + 20 * 3_600_000, rollNow - 1_800_000, rollNow + DAY]) {
          for (const snapshot of await snapshotAll(temp.store.client, now)) {
            if (!queues.includes(snapshot.queue)) continue;
            const dayFrom = startOfLocalDay(now, snapshot.time_zone);
            const q: MetricsQuery = {
              queue: snapshot.queue,
              from: dayFrom,
              to: nextLocalDay(dayFrom, snapshot.time_zone),
              interval: '30m',
              now,
            };
            const reference = await queryMetricsFromScratch(temp.store.client, q);
            expect(snapshot.today, JSON.stringify(q)).toEqual(reference.total);
            expect(snapshot.half_hours.map((r) => [r.start, r.offered, r.service_level])).toEqual(
              reference.rows.map((r) => [r.start, r.counts.offered, r.service_level.value]),
            );
          }
        }
        // And after the re-roll that rolls the changed half-hours again.
        const roll = await reroll(temp.store.client, { now: rollNow });
        for (const queue of [queues[0], queues[1], undefined])
          await same({ queue, from, to, interval: '1h', now: rollNow });

        // The settled part really is read from the rollup: every half-hour that ended SETTLE_MS
        // before the roll is there (from the first contact ever rolled on), and none after.
        const rolled = await readRollup(
          temp.store.client,
          { from, to, now: rollNow },
          await loadVersions(temp.store.client),
        );
        const settled = Math.floor((rollNow - SETTLE_MS) / 1_800_000) * 1_800_000;
        const first = Math.max(from, roll.settled_from);
        expect(roll.settled_to).toBe(settled);
        expect(rolled.map((r) => Number(r.bucket))).toEqual(
          Array.from({ length: (settled - first) / 1_800_000 }, (_, k) => first + k * 1_800_000),
        );
      }),
      { numRuns: Number(process.env.ROLLUP_PROPERTY_RUNS ?? 6), endOnFailure: true },
    );
  }, 600_000);
});
