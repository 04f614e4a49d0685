// The store reads of the live agents view. States: agent_current (sql/150_agent_current.sql, kept
// by a materialized view: a few rows per agent) and, for the start of each agent's latest run,
// the raw events after its last change of state — the same answer as a pass over the window's
// raw events. Contacts: agent_contacts (sql/175_agent_contacts.sql, one narrow row per contact
// and day, kept by a materialized view); "handled today" pairs a completion with the queue time
// only contact.queued carries, so this read grows with the days' contacts. The pass over the raw
// contact_events it replaces stays here (agentContactsRaw) as the reference it is tested and
// timed against.
import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows as rows } from '../store/rows.js';

export interface StateRow {
  agent_id: string;
  last_t: string;
  state: string;
  queues: string[];
  since: string;
}
export interface ContactRow {
  agent_id: string;
  open_id: string;
  open_at: string;
  open_queue: string;
  n_open: string | number;
  heard_at: string;
  handled: string[];
}

// Per agent: its latest event (top: time, event_id, queues; st: its state) and the newest event
// of another state (x; 1970 when none), from agent_current's rows of (agent, state), merged by
// FINAL (the table's key is (agent_id, state): a merge in key order, cheaper than a GROUP BY of
// the tuples).
const CURRENT_SQL = `
SELECT agent_id, a[1].2 AS state, toString(a[1].1.1) AS last_t, toString(a[1].1.2) AS event_id, a[1].1.3 AS queues,
  toString(arrayFirst(y -> y.2 != state, a).1.1) AS x_t, toString(arrayFirst(y -> y.2 != state, a).1.2) AS x_id
FROM (
  SELECT agent_id, arrayReverseSort(groupArray((latest, state))) AS a
  FROM agent_current FINAL
  GROUP BY agent_id
)
WHERE a[1].1.1 > {since:DateTime64(3)}
SETTINGS max_threads = 2`;

// The first event of each agent's latest run: its earliest event after the bound x, read from
// the raw events from the earliest bound on ({lo}), the agents' bounds as parallel arrays.
const RUN_START_SQL = `
SELECT e.agent_id AS agent_id, toString(min(e.occurred_at)) AS since
FROM agent_state_events AS e
INNER JOIN (
  SELECT b.1 AS agent_id, b.2 AS x_t, b.3 AS x_id
  FROM (SELECT arrayJoin(arrayZip({agents:Array(String)}, {x_t:Array(DateTime64(3))}, {x_id:Array(UUID)})) AS b)
) AS x ON e.agent_id = x.agent_id
WHERE e.occurred_at >= {lo:DateTime64(3)} AND e.occurred_at > {since:DateTime64(3)} AND e.occurred_at <= {now:DateTime64(3)}
  AND (e.occurred_at, e.event_id) > (x.x_t, x.x_id)
GROUP BY e.agent_id
SETTINGS max_threads = 2`;

// The same from the raw events, for the agents whose kept events are all one state.
// Duplicates change neither the latest state nor the start of its run.
const RAW_STATES_SQL = `
SELECT agent_id, toString(last_t) AS last_t, st AS state, qs AS queues,
  arrayLastIndex(x -> x.3 != st, evs) AS i, toString(evs[i + 1].1) AS since
FROM (
  SELECT agent_id, argMax(state, (occurred_at, event_id)) AS st, argMax(queues, (occurred_at, event_id)) AS qs,
    max(occurred_at) AS last_t, arraySort(groupArray((occurred_at, event_id, state))) AS evs
  FROM agent_state_events
  WHERE agent_id IN {agents:Array(String)} AND occurred_at > {since:DateTime64(3)} AND occurred_at <= {now:DateTime64(3)}
  GROUP BY agent_id
)
SETTINGS max_threads = 2`;

// One row per agent named by a contact event in the window: its latest open contact (answered
// by it, not completed), when it was last heard of (its first answer or completion of each
// contact), and the queues of the contacts it completed that were queued on their queue's local
// day ({q_names}[i] from {q_from}[i] to {q_to}[i]; other queues {d_from}..{d_to}, the default
// zone's day). One pass over contact_events: queued events are read a day further back.
const CONTACTS_SQL = `
SELECT agent_id,
  argMaxIf(contact_id, ans_at, is_open) AS open_id,
  toString(maxIf(ans_at, is_open)) AS open_at,
  argMaxIf(cq, ans_at, is_open) AS open_queue,
  countIf(is_open) AS n_open,
  toString(max(heard)) AS heard_at,
  groupArrayIf(cq, role = 1 AND has_done AND q >= day_from AND q < day_to) AS handled
FROM (
  SELECT contact_id, cq, q, ans_at, has_done, arrayJoin([0, 1]) AS role,
    if(role = 0, ans_by, done_by) AS agent_id,
    role = 0 AND has_ans AND NOT has_done AS is_open,
    if(role = 0, if(has_ans, ans_at, NULL), if(has_done, done_at, NULL)) AS heard,
    indexOf({q_names:Array(String)}, cq) AS qi,
    if(qi = 0, {d_from:DateTime64(3)}, arrayElement({q_from:Array(DateTime64(3))}, qi)) AS day_from,
    if(qi = 0, {d_to:DateTime64(3)}, arrayElement({q_to:Array(DateTime64(3))}, qi)) AS day_to
  FROM (
    SELECT contact_id,
      anyIf(queue, type = 'contact.queued') AS cq,
      if(countIf(type = 'contact.queued') > 0, minIf(occurred_at, type = 'contact.queued'), NULL) AS q,
      argMinIf(agent_id, occurred_at, type = 'contact.answered') AS ans_by,
      minIf(occurred_at, type = 'contact.answered') AS ans_at,
      countIf(type = 'contact.answered') > 0 AS has_ans,
      argMinIf(agent_id, occurred_at, type = 'contact.completed') AS done_by,
      minIf(occurred_at, type = 'contact.completed') AS done_at,
      countIf(type = 'contact.completed') > 0 AS has_done
    FROM contact_events
    WHERE occurred_at <= {now:DateTime64(3)} AND (
      (type IN ('contact.answered', 'contact.completed') AND agent_id != '' AND occurred_at > {since:DateTime64(3)})
      OR (type = 'contact.queued' AND occurred_at > {since:DateTime64(3)} - INTERVAL 1 DAY))
    GROUP BY contact_id
    HAVING has_ans OR has_done
  )
)
WHERE agent_id != '' AND heard IS NOT NULL
GROUP BY agent_id
SETTINGS max_threads = 2`;

// The same rows from agent_contacts: each contact's days merged (GROUP BY contact_id) on the
// numeric keys of sql/176 (first answer and completion as (epoch ms << 64) + the agent's hash),
// then per agent hash, and the hash turned back into the agent's id through agent_names. Only
// events in (since, now] count, as in the raw pass (a contact whose first answer lies outside
// that range counts as not answered); the days read start a day before `since` for queue events.
const TABLE_CONTACTS_SQL = `
SELECT n.agent_id AS agent_id, r.open_id AS open_id, r.open_at AS open_at, r.open_queue AS open_queue,
  r.n_open AS n_open, r.heard_at AS heard_at, r.handled AS handled
FROM (
  SELECT agent_key,
    argMaxIf(contact_id, heard, is_open) AS open_id,
    toString(fromUnixTimestamp64Milli(toInt64(maxIf(heard, is_open)), 'UTC')) AS open_at,
    argMaxIf(cq, heard, is_open) AS open_queue,
    countIf(is_open) AS n_open,
    toString(fromUnixTimestamp64Milli(toInt64(max(heard)), 'UTC')) AS heard_at,
    groupArrayIf(cq, role = 1 AND q >= day_from AND q < day_to) AS handled
  FROM (
    SELECT contact_id, cq, q, arrayJoin([0, 1]) AS role,
      if(role = 0, ans_key, done_key) AS agent_key,
      if(role = 0, if(has_ans, ans_ms, 0), if(has_done, done_ms, 0)) AS heard,
      role = 0 AND NOT has_done AS is_open,
      indexOf({q_names:Array(String)}, cq) AS qi,
      if(qi = 0, {d_from_ms:Int64}, arrayElement({q_from_ms:Array(Int64)}, qi)) AS day_from,
      if(qi = 0, {d_to_ms:Int64}, arrayElement({q_to_ms:Array(Int64)}, qi)) AS day_to
    FROM (
      SELECT contact_id, min(queued_ms) AS q0,
        q0 > {since_ms:Int64} - 86400000 AND q0 <= {now_ms:Int64} AS queued_in,
        if(queued_in, q0, -1) AS q, if(queued_in, max(queue_name), '') AS cq,
        min(answered_key) AS a, min(completed_key) AS d,
        toUInt64(bitShiftRight(a, 64)) AS ans_ms, toUInt64(bitAnd(a, 18446744073709551615)) AS ans_key,
        toUInt64(bitShiftRight(d, 64)) AS done_ms, toUInt64(bitAnd(d, 18446744073709551615)) AS done_key,
        ans_ms > {since_ms:Int64} AND ans_ms <= {now_ms:Int64} AS has_ans,
        done_ms > {since_ms:Int64} AND done_ms <= {now_ms:Int64} AS has_done
      FROM agent_contacts
      WHERE day >= toDate({since:DateTime64(3)}) - 1 AND day <= toDate({now:DateTime64(3)})
      GROUP BY contact_id
      HAVING has_ans OR has_done
    )
  )
  WHERE heard > 0
  GROUP BY agent_key
) AS r
INNER JOIN (SELECT agent_key, agent_id FROM agent_names FINAL) AS n ON n.agent_key = r.agent_key
SETTINGS max_threads = 2`;

/** Each agent's latest state in (since, now], when its run began, and its queues. */
export async function currentStates(client: ClickHouseClient, since: string, now: string): Promise<StateRow[]> {
  type Current = Omit<StateRow, 'since'> & { event_id: string; x_t: string; x_id: string };
  const all = await rows<Current>(client, CURRENT_SQL, { since });
  // An agent whose latest event lies after `now` (a test's clock, or an event stamped ahead) is
  // read from the raw events as of `now`.
  const ahead = all.filter((r) => r.last_t > now).map((r) => r.agent_id);
  const cur = all.filter((r) => r.last_t <= now);
  const out: StateRow[] = [];
  if (cur.length > 0) {
    const bound = (r: Current) => (r.x_t > since ? r.x_t : since);
    const lo = cur.reduce((m, r) => (bound(r) < m ? bound(r) : m), now);
    const starts = await rows<{ agent_id: string; since: string }>(client, RUN_START_SQL, {
      lo,
      since,
      now,
      agents: cur.map((r) => r.agent_id),
      x_t: cur.map(bound),
      x_id: cur.map((r) => (r.x_t > since ? r.x_id : '00000000-0000-0000-0000-000000000000')),
    });
    const startOf = new Map(starts.map((s) => [s.agent_id, s.since]));
    for (const r of cur)
      out.push({
        agent_id: r.agent_id,
        last_t: r.last_t,
        state: r.state,
        queues: r.queues,
        since: startOf.get(r.agent_id) ?? r.last_t,
      });
  }
  if (ahead.length > 0)
    for (const r of await rows<StateRow>(client, RAW_STATES_SQL, { since, now, agents: ahead }))
      out.push({ agent_id: r.agent_id, last_t: r.last_t, state: r.state, queues: r.queues, since: r.since });
  return out;
}

export type ContactParams = {
  /** The window (since, now], as chTime text. */
  since: string;
  now: string;
  /** Today in each queue with settings of its own: q_names[i] from q_from[i] to q_to[i]. */
  q_names: string[];
  q_from: string[];
  q_to: string[];
  /** Today in the default zone, for the other queues. */
  d_from: string;
  d_to: string;
};

/** Per agent named by a contact in the window: its open contact, last heard, today's handled. */
export function agentContacts(client: ClickHouseClient, params: ContactParams): Promise<ContactRow[]> {
  const epoch = (t: string) => Date.parse(`${t.replace(' ', 'T')}Z`);
  return rows<ContactRow>(client, TABLE_CONTACTS_SQL, {
    since: params.since,
    now: params.now,
    since_ms: epoch(params.since),
    now_ms: epoch(params.now),
    q_names: params.q_names,
    q_from_ms: params.q_from.map(epoch),
    q_to_ms: params.q_to.map(epoch),
    d_from_ms: epoch(params.d_from),
    d_to_ms: epoch(params.d_to),
  });
}

/** The same from one pass over the window's raw contact_events (the reference; bench:agents times both). */
export function agentContactsRaw(client: ClickHouseClient, params: ContactParams): Promise<ContactRow[]> {
  return rows<ContactRow>(client, CONTACTS_SQL, params);
}
