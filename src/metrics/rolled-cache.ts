// The rolled half-hours a process has read, kept between requests. Rolls only ever add rows of a
// higher generation, so a cached range is brought up to date by reading the rows newer than the
// generation it last saw: a half-hour re-rolled since is replaced whole, the rest stays. A change
// of settings versions (which can make rolled half-hours stale) reads the range afresh. Answers
// equal readRollup / AGENT_ROLLUP_READ_SQL at the same store state.
import type { ClickHouseClient } from '@clickhouse/client';
import { CONTACT_COMPONENTS, settingsKeySql } from './contacts-sql.js';
import { settingsArrays } from './rollup.js';
import type { SettingsVersion } from './settings.js';
import type { StoreState } from './store-state.js';
import { queryRows as rowsOf } from '../store/rows.js';

const SUMMED = [...Object.keys(CONTACT_COMPONENTS), 'nps_n', 'promoters', 'detractors', 'csat_n', 'csat_4_5', 'fcr_n'];

// ROLLUP_READ_SQL restricted to generations after {after_gen}, with the repeat-contact FCR of
// still-open windows returned as (close ms, repeated) pairs, so any reader's `now` splits them here.
const CONTACTS_SINCE_SQL = `
WITH latest AS (
  SELECT bucket, max(gen) AS g, toUnixTimestamp64Milli(argMax(rolled_now, gen)) AS rn FROM contact_rollup
  WHERE is_roll = 1 AND gen > {after_gen:Int64} AND bucket >= {from_ms:Int64} AND bucket < {to_ms:Int64}
  GROUP BY bucket
),
x AS (
  SELECT bucket,
    max(settings_key != ${settingsKeySql('queue', 'bucket')}) AS stale,
    ${[...SUMMED, 'fcr_yes', 'fcr_closed', 'fcr_closed_resolved'].map((n) => `sum(${n}) AS ${n}`).join(', ')},
    arrayFlatten(groupArray(arrayMap(f -> (toUnixTimestamp64Milli(f.1), f.2), fcr_open))) AS open,
    groupUniqArray(version) AS versions
  FROM contact_rollup
  WHERE is_roll = 0 AND gen > {after_gen:Int64} AND bucket >= {from_ms:Int64} AND bucket < {to_ms:Int64}
    AND ({queue:String} = '' OR queue = {queue:String}) AND ({channel:String} = '' OR channel = {channel:String})
    AND (bucket, gen) IN (SELECT bucket, g FROM latest)
  GROUP BY bucket
)
SELECT latest.bucket AS bucket, latest.g AS gen, latest.rn AS rolled_now, x.* EXCEPT (bucket)
FROM latest LEFT JOIN x ON x.bucket = latest.bucket
SETTINGS join_use_nulls = 0`;

const AGENTS_SINCE_SQL = `
WITH latest AS (
  SELECT bucket, max(gen) AS g FROM agent_time_rollup
  WHERE is_roll = 1 AND gen > {after_gen:Int64} AND bucket >= {from_ms:Int64} AND bucket < {to_ms:Int64}
  GROUP BY bucket
)
SELECT latest.bucket AS bucket, latest.g AS gen, r.busy_ms / 1000 AS busy_s, r.available_ms / 1000 AS available_s
FROM latest
LEFT JOIN (
  SELECT bucket, gen, busy_ms, available_ms FROM agent_time_rollup
  WHERE is_roll = 0 AND gen > {after_gen:Int64} AND queue = {queue:String} AND bucket >= {from_ms:Int64} AND bucket < {to_ms:Int64}
) AS r ON r.bucket = latest.bucket AND r.gen = latest.g
SETTINGS join_use_nulls = 0`;

/** One rolled half-hour of contacts, independent of the reader's now. */
interface ContactBucket {
  /** The generation read: a read that finishes late never replaces a newer one. */
  gen: number;
  rolledNow: number;
  stale: boolean;
  /** The half-hour as a reader sees it when no repeat window is still open (shared, read-only). */
  row: RolledContacts;
  /** Repeat-contact FCR windows still open at the roll: [close ms, repeated 0/1]. */
  open: Array<[number, number]>;
}

interface Entry {
  settings: string;
  contactGen: number;
  agentGen: number;
  contacts: Map<number, ContactBucket>;
  agents: Map<number, AgentBucket>;
}

interface AgentBucket {
  gen: number;
  busy_s: number;
  available_s: number;
}

// Kept ranges are dropped, least recently used first, past this many half-hours in all (each
// holds a few hundred bytes): a year of one queue is 17,520.
const MAX_HALF_HOURS = 200_000;
const caches = new WeakMap<ClickHouseClient, Map<string, Entry>>();

export interface RangeQuery {
  queue?: string;
  channel?: string;
  from: number;
  to: number;
}

type ContactRow = Record<string, unknown> & { bucket: string; rolled_now: string; stale: number; open: unknown[] };

async function readContacts(
  client: ClickHouseClient,
  q: RangeQuery,
  versions: Map<string, SettingsVersion[]>,
  afterGen: number,
  into: Map<number, ContactBucket>,
): Promise<void> {
  const { sv_queue, sv_from, sv_ver } = settingsArrays(versions);
  const rows = await rowsOf<ContactRow>(client, CONTACTS_SINCE_SQL, {
    after_gen: afterGen,
    from_ms: q.from,
    to_ms: q.to,
    queue: q.queue ?? '',
    channel: q.channel ?? '',
    sv_queue,
    sv_from,
    sv_ver,
  });
  for (const r of rows) {
    const bucket = Number(r.bucket);
    const row: RolledContacts = { bucket, versions: ((r.versions as unknown[] | undefined) ?? []).map(Number) };
    for (const n of [...SUMMED, 'fcr_yes']) row[n] = Number(r[n] ?? 0);
    row.wait_s = Number(row.wait_ms) / 1000;
    row.fcr_repeat_eligible = Number(r.fcr_closed ?? 0);
    row.fcr_repeat_resolved = Number(r.fcr_closed_resolved ?? 0);
    row.fcr_repeat_pending = 0;
    const gen = Number(r.gen);
    if ((into.get(bucket)?.gen ?? -1) > gen) continue;
    into.set(bucket, {
      gen,
      rolledNow: Number(r.rolled_now),
      stale: Number(r.stale) !== 0,
      row,
      open: (r.open ?? []).map((p) => {
        const [close, repeated] = p as [string | number, string | number];
        return [Number(close), Number(repeated)];
      }),
    });
  }
}

async function readAgents(
  client: ClickHouseClient,
  q: RangeQuery,
  afterGen: number,
  into: Map<number, AgentBucket>,
): Promise<void> {
  const rows = await rowsOf<{ bucket: string; gen: string; busy_s: number; available_s: number }>(
    client,
    AGENTS_SINCE_SQL,
    {
      after_gen: afterGen,
      from_ms: q.from,
      to_ms: q.to,
      queue: q.queue ?? '',
    },
  );
  for (const r of rows) {
    const bucket = Number(r.bucket);
    const gen = Number(r.gen);
    if ((into.get(bucket)?.gen ?? -1) > gen) continue;
    into.set(bucket, { gen, busy_s: Number(r.busy_s), available_s: Number(r.available_s) });
  }
}

/** The cache entry of `q`, brought up to `state` (at most one read per rollup table). */
async function entryFor(
  client: ClickHouseClient,
  q: RangeQuery,
  versions: Map<string, SettingsVersion[]>,
  state: StoreState,
): Promise<Entry> {
  let cache = caches.get(client);
  if (!cache) caches.set(client, (cache = new Map()));
  const key = `${q.queue ?? ''}\u0000${q.channel ?? ''}\u0000${q.from}\u0000${q.to}`;
  let entry = cache.get(key);
  if (entry && entry.settings !== state.settings) entry = undefined;
  if (!entry) {
    entry = { settings: state.settings, contactGen: -1, agentGen: -1, contacts: new Map(), agents: new Map() };
  }
  cache.delete(key);
  cache.set(key, entry); // newest use last: the first key is the least recently used
  // Reads of one entry may overlap (and, on a server, finish out of order): each half-hour keeps
  // its newest generation, and the entry the newest state read.
  if (entry.contactGen < state.contactGen) {
    await readContacts(client, q, versions, entry.contactGen, entry.contacts);
    entry.contactGen = Math.max(entry.contactGen, state.contactGen);
  }
  if (entry.agentGen < state.agentGen) {
    await readAgents(client, q, entry.agentGen, entry.agents);
    entry.agentGen = Math.max(entry.agentGen, state.agentGen);
  }
  let kept = 0;
  for (const e of cache.values()) kept += e.contacts.size + e.agents.size;
  for (const [oldest, e] of cache) {
    if (kept <= MAX_HALF_HOURS || e === entry) break;
    kept -= e.contacts.size + e.agents.size;
    cache.delete(oldest);
  }
  return entry;
}

/** A rolled half-hour of contacts as a reader at `now` sees it (fields as halfHourCounts gives them). */
export interface RolledContacts extends Record<string, unknown> {
  bucket: number;
  versions: number[];
}

/**
 * The rolled half-hours of `q` usable at `now`: contacts not stale and rolled at or before now
 * (repeat-contact FCR split at now); agent time of half-hours ended by now.
 */
export async function rolledHalfHours(
  client: ClickHouseClient,
  q: RangeQuery,
  versions: Map<string, SettingsVersion[]>,
  state: StoreState,
  now: number,
): Promise<{
  contacts: Map<number, RolledContacts>;
  agents: Map<number, { busy_s: number; available_s: number }>;
  /** The first instant after `now` at which a repeat window of these contacts closes (Infinity: none). */
  nextClose: number;
}> {
  const entry = await entryFor(client, q, versions, state);
  const contacts = new Map<number, RolledContacts>();
  let nextClose = Infinity;
  for (const [bucket, b] of entry.contacts) {
    if (b.stale || b.rolledNow > now) continue;
    if (b.open.length === 0) {
      contacts.set(bucket, b.row);
      continue;
    }
    let eligible = Number(b.row.fcr_repeat_eligible);
    let resolved = Number(b.row.fcr_repeat_resolved);
    let pending = 0;
    for (const [close, repeated] of b.open) {
      if (close <= now) {
        eligible++;
        if (repeated === 0) resolved++;
      } else {
        pending++;
        if (close < nextClose) nextClose = close;
      }
    }
    contacts.set(bucket, {
      ...b.row,
      fcr_repeat_eligible: eligible,
      fcr_repeat_resolved: resolved,
      fcr_repeat_pending: pending,
    });
  }
  const agents = new Map<number, { busy_s: number; available_s: number }>();
  for (const [bucket, a] of entry.agents)
    if (bucket + 1_800_000 <= now) agents.set(bucket, { busy_s: a.busy_s, available_s: a.available_s });
  return { contacts, agents, nextClose };
}
