// The hand-built scenario behind test/metrics/scenario.test.ts: queue "billing" in
// Europe/London on Sunday 2026-10-25, the day BST ends (local 01:00–02:00 happens twice, so
// the day has 50 half-hours). Times below are UTC; local = UTC+1 before 01:00Z, UTC+0 after.
import type { CallcastEvent } from '../../src/events/index.js';

let n = 0;
const id = () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
const at = (hhmmss: string, day = '2026-10-25') => `${day}T${hhmmss}Z`;

export function q(contact: string, time: string, extra: Record<string, unknown> = {}, day?: string): CallcastEvent {
  return {
    event_id: id(),
    type: 'contact.queued',
    occurred_at: at(time, day),
    contact_id: contact,
    queue: 'billing',
    channel: 'voice',
    ...extra,
  } as CallcastEvent;
}
export const ans = (contact: string, time: string): CallcastEvent =>
  ({
    event_id: id(),
    type: 'contact.answered',
    occurred_at: at(time),
    contact_id: contact,
    agent_id: 'a1',
  }) as CallcastEvent;
export const ab = (contact: string, time: string): CallcastEvent =>
  ({ event_id: id(), type: 'contact.abandoned', occurred_at: at(time), contact_id: contact }) as CallcastEvent;
export const done = (
  contact: string,
  time: string,
  talk: number,
  hold: number,
  wrap: number,
  extra: Record<string, unknown> = {},
): CallcastEvent =>
  ({
    event_id: id(),
    type: 'contact.completed',
    occurred_at: at(time),
    contact_id: contact,
    agent_id: 'a1',
    talk_s: talk,
    hold_s: hold,
    wrap_s: wrap,
    ...extra,
  }) as CallcastEvent;
export const survey = (contact: string, time: string, answers: Record<string, unknown>): CallcastEvent =>
  ({
    event_id: id(),
    type: 'survey.submitted',
    occurred_at: at(time),
    contact_id: contact,
    ...answers,
  }) as CallcastEvent;
export const agent = (agentId: string, time: string, state: string, queues: string[]): CallcastEvent =>
  ({ event_id: id(), type: 'agent.state', occurred_at: at(time), agent_id: agentId, state, queues }) as CallcastEvent;

// Half-hour A = 00:00Z (local 01:00 BST, the first 01:00); B = 01:00Z (local 01:00 GMT, the
// second); C = 10:00Z (local 10:00).
const c1q = q('c1', '00:00:00', { customer_id: 'cu1', reason: 'invoice' });
const c1done = done('c1', '00:02:40', 100, 20, 30);
const c5ab = ab('c5', '00:21:00');
const c2survey = survey('c2', '00:06:00', { nps: 9, csat: 4, fcr: false }); // before c2's completion

/** Events in the order they arrive: out of order, with duplicates. */
export const BILLING_DAY: CallcastEvent[] = [
  // c2 arrives backwards: survey, completion and answer before it was queued.
  c2survey,
  done('c2', '00:09:30', 200, 0, 40, { transferred: true }),
  ans('c2', '00:05:30'),
  q('c2', '00:05:00', { customer_id: 'cu2', reason: 'refund' }),
  // c1: answered in 10 s; queued and completed delivered twice.
  c1q,
  c1q,
  ans('c1', '00:00:10'),
  c1done,
  c1done,
  q('c3', '00:10:00'),
  ab('c3', '00:10:03'), // short abandon (3 s < 5 s)
  q('c4', '00:12:00'),
  ab('c4', '00:12:15'), // abandoned within T (15 s)
  q('c5', '00:20:00'),
  c5ab,
  c5ab, // abandoned after T (60 s), abandon delivered twice
  q('c6', '00:25:00', { customer_id: 'cu1', reason: 'invoice' }),
  ans('c6', '00:25:20'),
  done('c6', '00:26:20', 60, 0, 0), // wait exactly T
  q('c7', '01:00:00', { customer_id: 'cu3', reason: 'invoice', channel: 'chat' }),
  ans('c7', '01:00:05'),
  done('c7', '01:01:25', 50, 10, 20),
  q('c8', '01:10:00', { customer_id: 'cu4' }),
  ans('c8', '01:10:40'),
  done('c8', '01:12:40', 90, 0, 30), // no reason known
  q('c9', '10:00:00'), // still waiting
  q('c14', '10:05:00'),
  ab('c14', '10:05:05'), // exactly 5 s: an abandon, not short
  q('c15', '10:10:00'),
  ab('c15', '10:12:00'), // abandoned after T (120 s)
  // Surveys, one per score band; c1 answers twice (two surveys, both count).
  survey('c1', '00:05:00', { nps: 10, csat: 5, fcr: true }),
  survey('c1', '00:07:00', { csat: 2 }),
  c2survey,
  survey('c6', '00:30:00', { nps: 7, csat: 3 }),
  survey('c7', '01:05:00', { nps: 6, csat: 1, fcr: true }),
  survey('c8', '01:20:00', { nps: 8, fcr: false }),
  // Agents: a1 serves billing, a2 only sales (never counted for billing).
  agent('a1', '00:10:00', 'on_contact', ['billing']),
  agent('a1', '00:00:00', 'available', ['billing']), // arrives late
  agent('a1', '00:20:00', 'wrap_up', ['billing']),
  agent('a1', '00:25:00', 'available', ['billing']),
  agent('a1', '00:40:00', 'break', ['billing']),
  agent('a1', '01:00:00', 'on_contact', ['billing']),
  agent('a1', '01:15:00', 'offline', ['billing']),
  agent('a2', '00:00:00', 'available', ['sales']),
];

/** Later contacts of the same customers, in another queue and channel (repeat-contact FCR). */
export const LATER_CONTACTS: CallcastEvent[] = [
  q('c11', '09:00:00', { customer_id: 'cu2', reason: 'refund', queue: 'sales', channel: 'email' }, '2026-10-27'), // 2 days: repeat
  q('c12', '09:00:00', { customer_id: 'cu3', reason: 'delivery', queue: 'sales' }, '2026-10-26'), // other reason: not a repeat
  q('c13', '09:00:00', { customer_id: 'cu4', reason: 'other', queue: 'sales' }, '2026-10-28'), // c8's reason unknown: repeat
  q('c10', '09:00:00', { customer_id: 'cu1', reason: 'invoice', queue: 'sales' }, '2026-11-05'), // 11 days after c6: outside
];
