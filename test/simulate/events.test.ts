// The simulator's output honours the event contract and tells a consistent story per contact.
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { EVENT_SCHEMAS, type CallcastEvent, type EventType } from '../../src/events/schemas.js';
import { simulateHistory } from '../../pipelines/simulate/generator.js';
import { CompiledQueue, isHoliday, queueProfiles } from '../../pipelines/simulate/profiles.js';

const checkers = Object.fromEntries(
  Object.entries(EVENT_SCHEMAS).map(([type, schema]) => [type, Compile(schema)]),
) as Record<EventType, ReturnType<typeof Compile>>;

// Wed 25 Nov 2026 – Sun 29 Nov 2026: includes Thanksgiving (26th), a Saturday and a Sunday.
const START = '2026-11-25T00:00:00Z';
const DAYS = 5;
const events: CallcastEvent[] = [...simulateHistory({ days: DAYS, queues: 5, seed: 11, start: START })];
const ms = (e: CallcastEvent) => Date.parse(e.occurred_at as string);
/** Per-event checks without an expect() per event (hundreds of thousands of them are slow). */
function check(ok: boolean, what: () => string): void {
  if (!ok) throw new Error(what());
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('simulated events', () => {
  it('every event passes its schema, with v4 UUIDs and millisecond UTC timestamps', () => {
    expect(events.length).toBeGreaterThan(20_000);
    const ids = new Set<string>();
    for (const e of events) {
      const checker = checkers[e.type];
      if (!(checker.Check as (value: unknown) => boolean)(e)) throw new Error(`invalid event: ${JSON.stringify(e)}`);
      check(UUID_V4.test(e.event_id), () => `not a v4 UUID: ${e.event_id}`);
      const at = e.occurred_at as string;
      check(ISO_MS_Z.test(at) && new Date(at).toISOString() === at, () => `not ISO UTC with ms: ${at}`);
      ids.add(e.event_id);
    }
    expect(ids.size).toBe(events.length);
    const types = new Set(events.map((e) => e.type));
    expect([...types].sort()).toEqual([
      'agent.state',
      'contact.abandoned',
      'contact.answered',
      'contact.completed',
      'contact.queued',
      'survey.submitted',
    ]);
  });

  it('is in occurred_at order, inside [start, end)', () => {
    const start = Date.parse(START);
    const end = start + DAYS * 86_400_000;
    let prev = -Infinity;
    for (const e of events) {
      const t = ms(e);
      check(t >= prev, () => `out of order at ${e.occurred_at as string}`);
      prev = t;
    }
    expect(ms(events[0]!)).toBeGreaterThanOrEqual(start);
    expect(prev).toBeLessThan(end);
  });

  it('tells each contact in order: queued < answered|abandoned < completed < survey', () => {
    interface Life {
      queued?: number;
      answered?: number;
      abandoned?: number;
      completed?: number;
      survey?: number;
      agent?: string;
    }
    const lives = new Map<string, Life>();
    const life = (id: string) => lives.get(id) ?? (lives.set(id, {}), lives.get(id)!);
    for (const e of events) {
      const t = ms(e);
      switch (e.type) {
        case 'contact.queued':
          check(life(e.contact_id).queued === undefined, () => `queued twice: ${e.contact_id}`);
          life(e.contact_id).queued = t;
          break;
        case 'contact.answered': {
          const l = life(e.contact_id);
          check(l.answered === undefined, () => `answered twice: ${e.contact_id}`);
          l.answered = t;
          l.agent = e.agent_id;
          break;
        }
        case 'contact.abandoned':
          check(life(e.contact_id).abandoned === undefined, () => `abandoned twice: ${e.contact_id}`);
          life(e.contact_id).abandoned = t;
          break;
        case 'contact.completed': {
          const l = life(e.contact_id);
          check(l.completed === undefined, () => `completed twice: ${e.contact_id}`);
          l.completed = t;
          check(e.agent_id === l.agent, () => `completed by another agent: ${e.contact_id}`);
          check(
            t - (l.answered ?? NaN) === (e.talk_s + e.hold_s + e.wrap_s) * 1000,
            () => `handle time mismatch: ${e.contact_id}`,
          );
          break;
        }
        case 'survey.submitted':
          life(e.contact_id).survey = t;
          break;
      }
    }
    let answered = 0;
    let abandoned = 0;
    for (const [id, l] of lives) {
      // The simulation starts empty, so every contact it mentions was queued inside the window.
      check(l.queued !== undefined, () => `never queued: ${id}`);
      check(!(l.answered !== undefined && l.abandoned !== undefined), () => `answered and abandoned: ${id}`);
      if (l.answered !== undefined) {
        answered++;
        check(l.answered - l.queued! >= 0, () => `negative wait: ${id}`);
        if (l.completed !== undefined) check(l.completed > l.answered, () => `completed before answered: ${id}`);
      } else check(l.completed === undefined, () => `completed but never answered: ${id}`);
      if (l.abandoned !== undefined) {
        abandoned++;
        check(l.abandoned > l.queued!, () => `abandoned before queued: ${id}`);
      }
      if (l.survey !== undefined)
        check(l.completed !== undefined && l.survey > l.completed, () => `survey before completion: ${id}`);
    }
    expect(answered).toBeGreaterThan(5 * abandoned);
    expect(abandoned).toBeGreaterThan(0);
  });

  it('agents move available → on_contact → wrap_up → available/break/offline, answering only when available', () => {
    const state = new Map<string, string>();
    const allowed: Record<string, string[]> = {
      offline: ['available'],
      available: ['on_contact', 'break', 'offline'],
      on_contact: ['wrap_up'],
      wrap_up: ['available', 'break', 'offline'],
      break: ['available', 'offline'],
    };
    const seen = new Set<string>();
    for (const e of events) {
      if (e.type === 'contact.answered')
        check(state.get(e.agent_id) === 'available', () => `${e.agent_id} answered while ${state.get(e.agent_id)}`);
      if (e.type !== 'agent.state') continue;
      const prev = state.get(e.agent_id) ?? 'offline';
      check(allowed[prev]!.includes(e.state), () => `${e.agent_id}: ${prev} → ${e.state}`);
      state.set(e.agent_id, e.state);
      seen.add(e.state);
      check(e.queues?.length === 1, () => 'agent without its queue');
    }
    expect([...seen].sort()).toEqual(['available', 'break', 'offline', 'on_contact', 'wrap_up']);
  });

  it('takes no contacts while a queue is closed (nights, Sundays, holidays) but 24/7 tech-support does', () => {
    const queues = new Map(queueProfiles(5).map((p, i) => [p.name, new CompiledQueue(p, i)]));
    let techNight = 0;
    let billing = 0;
    for (const e of events) {
      if (e.type !== 'contact.queued') continue;
      const t = ms(e);
      check(
        queues.get(e.queue)!.isOpen(t),
        () => `${e.queue} took a contact while closed at ${e.occurred_at as string}`,
      );
      const d = new Date(t);
      if (e.queue === 'billing') {
        // Billing: Mon–Fri 08–20, Sat 09–14, closed Sundays and holidays.
        const h = d.getUTCHours();
        check(
          d.getUTCDay() !== 0 && !isHoliday(Date.UTC(2026, 10, d.getUTCDate())),
          () => `billing open on ${d.toISOString()}`,
        );
        check(
          d.getUTCDay() === 6 ? h >= 9 && h < 14 : h >= 8 && h < 20,
          () => `billing outside hours: ${d.toISOString()}`,
        );
        billing++;
      }
      if (e.queue === 'tech-support' && d.getUTCHours() < 5) techNight++;
    }
    expect(isHoliday(Date.UTC(2026, 10, 26))).toBe(true); // Thanksgiving
    expect(techNight).toBeGreaterThan(0);
    expect(billing).toBeGreaterThan(1000);
  });

  it('surveys: NPS is higher for resolved contacts and for short waits', () => {
    const contacts = new Map<string, { queued: number; wait?: number; resolved?: boolean }>();
    const nps: { resolved: boolean; wait: number; nps: number }[] = [];
    for (const e of events) {
      if (e.type === 'contact.queued') contacts.set(e.contact_id, { queued: ms(e) });
      else if (e.type === 'contact.answered')
        contacts.get(e.contact_id)!.wait = (ms(e) - contacts.get(e.contact_id)!.queued) / 1000;
      else if (e.type === 'contact.completed') contacts.get(e.contact_id)!.resolved = e.resolved;
      else if (e.type === 'survey.submitted' && e.nps !== undefined) {
        const c = contacts.get(e.contact_id)!;
        nps.push({ resolved: c.resolved!, wait: c.wait!, nps: e.nps });
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(nps.length).toBeGreaterThan(1000);
    expect(mean(nps.filter((s) => s.resolved).map((s) => s.nps))).toBeGreaterThan(
      mean(nps.filter((s) => !s.resolved).map((s) => s.nps)) + 1,
    );
    expect(mean(nps.filter((s) => s.wait < 20).map((s) => s.nps))).toBeGreaterThan(
      mean(nps.filter((s) => s.wait > 120).map((s) => s.nps)),
    );
  });
});

describe('determinism', () => {
  const json = (seed: number) =>
    JSON.stringify([...simulateHistory({ days: 1, queues: 3, seed, start: '2026-11-23' })]);
  it('same seed → identical output; different seed → different output', () => {
    const a = json(5);
    expect(json(5)).toBe(a);
    expect(json(6)).not.toBe(a);
  });
});
