// The live agents view (GET /v1/agents): every agent heard from in the look-back window, with
// its state and time in state, its open contact, and the contacts it handled today. Two store
// reads per answer whatever the number of agents (states from agent_current plus the start of
// each agent's latest run; the window's contacts; both in ./current.ts), plus the small settings
// and limits tables.
//
// - State: that of the agent's latest agent.state event (by occurred_at, then event_id, so a
//   late or redelivered event cannot change it). Time in state runs from the first event of the
//   latest run of that state (a repeated "available" does not restart the clock), at the
//   earliest from the start of the look-back window.
// - Silence: an agent heard from (agent.state, or contact.answered / contact.completed naming
//   it) longer ago than the silence limit shows as "unknown", its last reported state kept
//   beside; "offline" never times out. Agents named only by contact events show as "unknown".
// - Handled today: contacts the agent completed (the agent of the first contact.completed)
//   that were queued on their queue's local day, as the queue figures count handled.
import type { ClickHouseClient } from '@clickhouse/client';
import { AGENT_STATES } from '../events/index.js';
import { currentVersion, DEFAULT_SETTINGS, loadVersions } from '../metrics/settings.js';
import { nextLocalDay, startOfLocalDay } from '../metrics/tz.js';
import { chTime } from '../store/time.js';
import { agentLimits, loadLimits } from './limits.js';
import { agentContacts, agentContactsRaw, currentStates, type StateRow } from './current.js';

/** Agents not heard from within this window are not listed. */
export const LIVE_LOOKBACK_MS = 24 * 3_600_000;

export type ReportedState = (typeof AGENT_STATES)[number];
export type LiveState = ReportedState | 'unknown';

export interface LiveAgent {
  agent_id: string;
  state: LiveState;
  /** The state of the latest agent.state event (null when the agent sent none in the window). */
  reported_state: ReportedState | null;
  state_since: string;
  time_in_state_s: number;
  last_heard_at: string;
  silent_s: number;
  /** The queues of the latest agent.state event. */
  queues: string[];
  /** The open contact (answered by the agent, not completed) while on a contact or wrapping up. */
  contact: { contact_id: string; queue: string | null; answered_at: string } | null;
  /** The open contact's queue. */
  queue: string | null;
  handled_today: number;
  handled_today_by_queue: Record<string, number>;
  /** Limit of the current state (wrap_up or break), the strictest of the agent's queues. */
  limit_s: number | null;
  /** Seconds beyond that limit, when beyond. */
  over_limit_s: number | null;
  /** Why this agent needs attention: over its state's limit, or not heard from. */
  attention: 'over_limit' | 'unknown' | null;
}

export interface LiveAgents {
  generated_at: string;
  silence_s: number;
  queue: string | null;
  counts: Record<LiveState, number>;
  agents: LiveAgent[];
}

const ms = (ch: string) => Date.parse(`${ch.replace(' ', 'T')}Z`);
const iso = (t: number) => new Date(t).toISOString();

/** [from, to) of today in each queue with settings of its own, and in the default zone. */
async function todayBounds(client: ClickHouseClient, now: number) {
  const versions = await loadVersions(client);
  const names: string[] = [];
  const from: string[] = [];
  const to: string[] = [];
  for (const [queue, list] of versions) {
    const tz = currentVersion(list, now).settings.time_zone;
    const start = startOfLocalDay(now, tz);
    names.push(queue);
    from.push(chTime(start));
    to.push(chTime(nextLocalDay(start, tz)));
  }
  const dStart = startOfLocalDay(now, DEFAULT_SETTINGS.time_zone);
  return {
    q_names: names,
    q_from: from,
    q_to: to,
    d_from: chTime(dStart),
    d_to: chTime(nextLocalDay(dStart, DEFAULT_SETTINGS.time_zone)),
    earliest: Math.min(dStart, ...from.map(ms)),
  };
}

// Attention order: over a limit (largest excess first), then not heard from (longest silence
// first), then wrap-up and breaks within their limits, then everyone else working, then offline;
// within each, longest in state first, then by agent id.
function rank(a: LiveAgent): number {
  if (a.attention === 'over_limit') return 0;
  if (a.attention === 'unknown') return 1;
  if (a.state === 'wrap_up' || a.state === 'break') return 2;
  if (a.state === 'offline') return 4;
  return 3;
}

export function attentionOrder(a: LiveAgent, b: LiveAgent): number {
  return (
    rank(a) - rank(b) ||
    (b.over_limit_s ?? 0) - (a.over_limit_s ?? 0) ||
    b.time_in_state_s - a.time_in_state_s ||
    (a.agent_id < b.agent_id ? -1 : a.agent_id > b.agent_id ? 1 : 0)
  );
}

export async function liveAgents(
  client: ClickHouseClient,
  now: number,
  // contacts 'raw': the reference pass over contact_events (bench:agents times both).
  options: { silenceMs: number; queue?: string; contacts?: 'table' | 'raw' },
): Promise<LiveAgents> {
  const bounds = await todayBounds(client, now);
  const { earliest, ...dayParams } = bounds;
  const since = Math.min(now - LIVE_LOOKBACK_MS, earliest);
  const params = { since: chTime(since), now: chTime(now), ...dayParams };
  const [states, contacts, limits] = await Promise.all([
    currentStates(client, chTime(now - LIVE_LOOKBACK_MS), chTime(now)),
    (options.contacts === 'raw' ? agentContactsRaw : agentContacts)(client, params),
    loadLimits(client),
  ]);
  const byAgent = new Map<
    string,
    {
      state?: StateRow;
      open?: { contact_id: string; t: string; queue: string };
      heard?: number;
      handled: Map<string, number>;
    }
  >();
  const entry = (id: string) => {
    let e = byAgent.get(id);
    if (!e) byAgent.set(id, (e = { handled: new Map() }));
    return e;
  };
  for (const s of states) entry(s.agent_id).state = s;
  for (const c of contacts) {
    const e = entry(c.agent_id);
    if (Number(c.n_open) > 0) e.open = { contact_id: c.open_id, t: c.open_at, queue: c.open_queue };
    e.heard = ms(c.heard_at);
    for (const q of c.handled) e.handled.set(q, (e.handled.get(q) ?? 0) + 1);
  }
  const out: LiveAgent[] = [];
  for (const [agent_id, e] of byAgent) {
    // Named only by contacts handled earlier in a day that began before the look-back window.
    if (!e.state && (e.heard ?? -Infinity) <= now - LIVE_LOOKBACK_MS) continue;
    const reported = (e.state?.state ?? null) as ReportedState | null;
    const lastHeard = Math.max(e.state ? ms(e.state.last_t) : -Infinity, e.heard ?? -Infinity);
    const silent = now - lastHeard;
    const stale = reported === null || (reported !== 'offline' && silent > options.silenceMs);
    const state: LiveState = stale ? 'unknown' : reported;
    const since = stale ? lastHeard : ms(e.state!.since);
    const queues = e.state?.queues ?? [];
    const withContact = state === 'on_contact' || state === 'wrap_up' || state === 'unknown';
    const contact =
      withContact && e.open
        ? { contact_id: e.open.contact_id, queue: e.open.queue || null, answered_at: iso(ms(e.open.t)) }
        : null;
    const own = agentLimits(queues, limits);
    const limit = state === 'wrap_up' ? own.wrap_up_limit_s : state === 'break' ? own.break_limit_s : null;
    const inState = Math.max(0, (now - since) / 1000);
    const over = limit !== null && inState > limit ? inState - limit : null;
    const handledByQueue = Object.fromEntries([...e.handled].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    out.push({
      agent_id,
      state,
      reported_state: reported,
      state_since: iso(since),
      time_in_state_s: inState,
      last_heard_at: iso(lastHeard),
      silent_s: Math.max(0, silent / 1000),
      queues,
      contact,
      queue: contact?.queue ?? null,
      handled_today: [...e.handled.values()].reduce((a, b) => a + b, 0),
      handled_today_by_queue: handledByQueue,
      limit_s: limit,
      over_limit_s: over,
      attention: over !== null ? 'over_limit' : state === 'unknown' ? 'unknown' : null,
    });
  }
  const q = options.queue;
  const shown =
    q === undefined ? out : out.filter((a) => a.queues.includes(q) || a.queue === q || q in a.handled_today_by_queue);
  shown.sort(attentionOrder);
  const counts = Object.fromEntries([...AGENT_STATES, 'unknown'].map((s) => [s, 0])) as Record<LiveState, number>;
  for (const a of shown) counts[a.state] += 1;
  return { generated_at: iso(now), silence_s: options.silenceMs / 1000, queue: q ?? null, counts, agents: shown };
}
