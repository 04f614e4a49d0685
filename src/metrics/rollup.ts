// The rollup of settled half-hours (sql/090_metrics_rollup.sql, docs/metrics.md): contact counts
// per (UTC half-hour, queue, channel, settings version), rolled with the from-scratch per-contact
// SQL (CONTACT_ROLLUP_SQL), read back for the settled part of a range and combined with the live
// from-scratch figures of the rest. Exact: the combination equals halfHourCounts over the whole
// range once every touch (late event, duplicate, survey, repeat contact) has been re-rolled;
// retroactive settings are caught at read time.
import type { ClickHouseClient } from '@clickhouse/client';
import { AGENT_ROLLUP_SQL, AGENT_TOUCHED_SQL } from './agent-time-sql.js';
import { CONTACT_COMPONENTS, CONTACT_ROLLUP_SQL, settingsKeySql } from './contacts-sql.js';
import { HALF_HOUR_MS } from './intervals.js';
import { chTime, DEFAULT_SETTINGS, loadVersions, type SettingsVersion } from './settings.js';
import { offsetMs } from './tz.js';
import { rollReasons } from './reason-rollup.js';
import { queryRows as rowsOf } from '../store/rows.js';

/** A half-hour is settled (rolled up) once it ended this long before the roll's `now`. */
export const SETTLE_MS = 2 * 3_600_000;
/** A re-roll statement covers at most this many consecutive half-hours (a day): short statements interleave. */
const MAX_RUN = 48;
/** Dirty half-hours at most this far apart are re-rolled in one statement. */
const JOIN_GAP = 6;
/** Events of a contact more than this many days after it was queued are not read (query.ts LAG_DAYS). */
const LAG_DAYS = 31;

const halfHourFloor = (ms: number) => Math.floor(ms / HALF_HOUR_MS) * HALF_HOUR_MS;

/** Flat, sorted arrays of every settings version, for the per-contact version lookup in SQL. */
export function settingsArrays(all: Map<string, SettingsVersion[]>) {
  const list = [...all.values()].flat().filter((v) => v.version > 0);
  list.sort(
    (a, b) =>
      a.queue.localeCompare(b.queue) ||
      Date.parse(a.effective_from) - Date.parse(b.effective_from) ||
      a.version - b.version,
  );
  return {
    sv_queue: list.map((v) => v.queue),
    sv_from: list.map((v) => chTime(Date.parse(v.effective_from))),
    sv_thr: list.map((v) => v.settings.threshold_s),
    sv_short: list.map((v) => v.settings.short_abandon_s),
    sv_win: list.map((v) => v.settings.fcr_window_days),
    sv_ver: list.map((v) => v.version),
    d_thr: DEFAULT_SETTINGS.threshold_s,
    d_short: DEFAULT_SETTINGS.short_abandon_s,
    d_win: DEFAULT_SETTINGS.fcr_window_days,
  };
}

const maxWindowDays = (versions: Map<string, SettingsVersion[]>) =>
  Math.max(DEFAULT_SETTINGS.fcr_window_days, ...[...versions.values()].flat().map((v) => v.settings.fcr_window_days));

// Touches since the last re-roll → the rolled half-hours they can change: every queued half-hour
// of a touched contact (an earlier duplicate `contact.queued` moves it: both are re-rolled), and
// the queued half-hours of the same customer's earlier contacts whose repeat window a new
// contact can fall in.
const TOUCHED_SQL = `
WITH t AS (
  SELECT contact_id, customer_id, at, queued FROM rollup_touches
  WHERE touched_at > {after:DateTime64(3)} AND touched_at <= {upto:DateTime64(3)}
)
SELECT DISTINCT b AS bucket FROM (
  SELECT intDiv(toUnixTimestamp64Milli(occurred_at), 1800000) * 1800000 AS b FROM contact_events
  WHERE type = 'contact.queued' AND contact_id IN (SELECT contact_id FROM t)
    AND occurred_at >= (SELECT min(at) FROM t) - toIntervalDay({lag_days:UInt32} + 1)
    AND occurred_at <= (SELECT max(at) FROM t) + INTERVAL 1 DAY
  UNION ALL
  SELECT intDiv(toUnixTimestamp64Milli(occurred_at), 1800000) * 1800000 AS b FROM contact_events
  WHERE type = 'contact.queued' AND customer_id != ''
    AND customer_id IN (SELECT customer_id FROM t WHERE queued = 1 AND customer_id != '')
    AND occurred_at >= (SELECT min(at) FROM t WHERE queued = 1) - toIntervalDay({win_lag_days:UInt32})
    AND occurred_at <= (SELECT max(at) FROM t WHERE queued = 1)
)
WHERE b < {settled_to:Int64}
ORDER BY bucket`;

// The newest generation of every rolled half-hour in [from, to), with `now` it was rolled at.
const LATEST = `latest AS (
  SELECT bucket, max(gen) AS g, argMax(rolled_now, gen) AS rn FROM contact_rollup
  WHERE is_roll = 1 AND bucket >= {from_ms:Int64} AND bucket < {to_ms:Int64}
  GROUP BY bucket
)`;

// Rolled (queue, half-hour)s whose settings versions changed since they were rolled.
const STALE_SQL = `
WITH ${LATEST}
SELECT DISTINCT bucket FROM contact_rollup
WHERE is_roll = 0 AND bucket >= {from_ms:Int64} AND bucket < {to_ms:Int64}
  AND (bucket, gen) IN (SELECT bucket, g FROM latest)
  AND settings_key != ${settingsKeySql('queue', 'bucket')}
ORDER BY bucket`;

/**
 * The rolled half-hours of [from, to) for one queue (or all, '') and channel (or all, ''), summed
 * per half-hour as halfHourCounts gives them: `stale` when the queue's settings changed since, and
 * `rolled_now` the now the repeat-contact FCR split was rolled at (readers at an earlier now
 * cannot use it). Half-hours with no contacts come with zero counts.
 */
export const ROLLUP_READ_SQL = `
WITH ${LATEST},
r AS (
  SELECT * FROM contact_rollup
  WHERE is_roll = 0 AND bucket >= {from_ms:Int64} AND bucket < {to_ms:Int64}
    AND ({queue:String} = '' OR queue = {queue:String}) AND ({channel:String} = '' OR channel = {channel:String})
    AND (bucket, gen) IN (SELECT bucket, g FROM latest)
),
x AS (
  SELECT bucket,
    max(settings_key != ${settingsKeySql('queue', 'bucket')}) AS stale,
    ${[...Object.keys(CONTACT_COMPONENTS), 'nps_n', 'promoters', 'detractors', 'csat_n', 'csat_4_5', 'fcr_n', 'fcr_yes']
      .map((n) => `sum(${n}) AS ${n}`)
      .join(', ')},
    sum(fcr_closed) + sum(arrayCount(f -> f.1 <= {now:DateTime64(3)}, fcr_open)) AS fcr_repeat_eligible,
    sum(fcr_closed_resolved) + sum(arrayCount(f -> f.1 <= {now:DateTime64(3)} AND f.2 = 0, fcr_open)) AS fcr_repeat_resolved,
    sum(arrayCount(f -> f.1 > {now:DateTime64(3)}, fcr_open)) AS fcr_repeat_pending,
    groupUniqArray(version) AS versions
  FROM r
  GROUP BY bucket
)
SELECT latest.bucket AS bucket, toUnixTimestamp64Milli(latest.rn) AS rolled_now, x.* EXCEPT (bucket), x.wait_ms / 1000 AS wait_s
FROM latest LEFT JOIN x ON x.bucket = latest.bucket
ORDER BY bucket`;

export interface RolledHalfHour extends Record<string, unknown> {
  bucket: string | number;
  rolled_now: string | number;
  stale: number;
  versions: number[];
}

/** The rolled half-hours of [from, to) (see ROLLUP_READ_SQL). */
export async function readRollup(
  client: ClickHouseClient,
  q: { queue?: string; channel?: string; from: number; to: number; now: number },
  versions: Map<string, SettingsVersion[]>,
): Promise<RolledHalfHour[]> {
  const { sv_queue, sv_from, sv_ver } = settingsArrays(versions);
  return rowsOf<RolledHalfHour>(client, ROLLUP_READ_SQL, {
    from_ms: q.from,
    to_ms: q.to,
    queue: q.queue ?? '',
    channel: q.channel ?? '',
    now: chTime(q.now),
    sv_queue,
    sv_from,
    sv_ver,
  });
}

/**
 * True when every local half-hour of `tz` in [from, to) is a UTC half-hour (the zone's offset is a
 * whole number of half-hours throughout), so rolled UTC half-hours are the zone's half-hours.
 */
export function halfHourAligned(tz: string, from: number, to: number): boolean {
  for (let t = from; ; t = Math.min(t + 6 * 3_600_000, to)) {
    if (offsetMs(t, tz) % HALF_HOUR_MS !== 0) return false;
    if (t >= to) return true;
  }
}

/** Consecutive runs [from, to) of the sorted half-hour starts, near ones joined, at most MAX_RUN long. */
export function runsOf(buckets: number[]): Array<{ from: number; to: number }> {
  const runs: Array<{ from: number; to: number }> = [];
  for (const b of buckets) {
    const last = runs.at(-1);
    if (last && b < last.to) continue;
    if (last && b - last.to <= JOIN_GAP * HALF_HOUR_MS && b + HALF_HOUR_MS - last.from <= MAX_RUN * HALF_HOUR_MS)
      last.to = b + HALF_HOUR_MS;
    else runs.push({ from: b, to: b + HALF_HOUR_MS });
  }
  return runs;
}

export interface RerollResult {
  /** Half-hours (re-)rolled: contacts or agent time or both. */
  buckets: number;
  /** Statements that rolled them. */
  statements: number;
  /** The half-hours of [settled_from, settled_to) (epoch ms) are settled and rolled. */
  settled_from: number;
  settled_to: number;
  seconds: number;
}

let generation = 0;

/**
 * The query parameters of one roll statement (CONTACT_ROLLUP_SQL and its by-reason variant,
 * AGENT_ROLLUP_SQL) over [from, to) under generation `gen`, for rolls with these settings
 * versions at `now`: every queue and channel, UTC half-hours, repeat visits read.
 */
export function rollStatementParams(versions: Map<string, SettingsVersion[]>, now: number) {
  const common = {
    queue: '',
    channel: '',
    tz: 'UTC',
    ...settingsArrays(versions),
    lag_days: LAG_DAYS,
    now: chTime(now),
    need_visits: true,
  };
  const laterDays = maxWindowDays(versions) + LAG_DAYS;
  return (from: number, to: number, gen: number) => ({
    ...common,
    gen,
    from: chTime(from),
    to: chTime(to),
    end: chTime(to),
    later_to: chTime(to + laterDays * 86_400_000),
  });
}

interface Slice {
  table: 'contacts' | 'agents';
  from: number;
  to: number;
}

/** Runs of both tables, newest first: the half-hours readers ask for most are rolled first. */
function slicesOf(contacts: Set<number>, agents: Set<number>): Slice[] {
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return [
    ...runsOf(sorted(contacts)).map((r) => ({ table: 'contacts' as const, ...r })),
    ...runsOf(sorted(agents)).map((r) => ({ table: 'agents' as const, ...r })),
  ].sort((a, b) => b.from - a.from || a.table.localeCompare(b.table));
}

/**
 * One re-roll: rolls the half-hours settled since the last re-roll, rolls again every rolled
 * half-hour that a touch since the last re-roll can change (or whose settings versions changed),
 * and rolls the history not rolled yet (all of it the first time). Newest half-hours first, at
 * most a day per statement, so reads and inserts interleave with a long first roll; the markers
 * written so far are usable at once, and a stopped roll resumes where it was. `now` decides what
 * is settled and splits repeat-contact FCR.
 */
export async function reroll(client: ClickHouseClient, opts: { now?: number } = {}): Promise<RerollResult> {
  const started = performance.now();
  const now = opts.now ?? Date.now();
  const [clock] = await rowsOf<{ stamp: string }>(client, `SELECT toUnixTimestamp64Milli(now64(3)) AS stamp`, {});
  const upto = Number(clock!.stamp);
  const [last] = await rowsOf<{ last_start: string; last_settled: string; runs: string }>(
    client,
    `SELECT toUnixTimestamp64Milli(max(started_at)) AS last_start, argMax(settled_to, started_at) AS last_settled,
       count() AS runs FROM rollup_runs`,
    {},
  );
  const ran = Number(last?.runs ?? 0) > 0;
  const settledTo = Math.max(halfHourFloor(now - SETTLE_MS), ran ? Number(last!.last_settled) : 0);
  const versions = await loadVersions(client);
  const windowDays = maxWindowDays(versions);
  const span = await rolledSpan(client, settledTo);

  const contacts = new Set<number>();
  const agents = new Set<number>();
  const newFrom = ran ? Number(last!.last_settled) : settledTo;
  if (ran) {
    // A few seconds of overlap: touches are idempotent, and a clock step cannot lose one.
    const after = chTime(Math.max(0, Number(last!.last_start) - 5_000));
    const touched = await rowsOf<{ bucket: string }>(client, TOUCHED_SQL, {
      after,
      upto: chTime(upto),
      lag_days: LAG_DAYS,
      win_lag_days: windowDays + LAG_DAYS,
      settled_to: newFrom,
    });
    for (const t of touched) contacts.add(Number(t.bucket));
    const { sv_queue, sv_from, sv_ver } = settingsArrays(versions);
    const stale = await rowsOf<{ bucket: string }>(client, STALE_SQL, {
      from_ms: 0,
      to_ms: newFrom,
      sv_queue,
      sv_from,
      sv_ver,
    });
    for (const s of stale) contacts.add(Number(s.bucket));
    const spans = await rowsOf<{ from_ms: string; to_ms: string }>(client, AGENT_TOUCHED_SQL, {
      after,
      upto: chTime(upto),
      settled_to_ms: newFrom,
    });
    for (const t of spans)
      for (let b = halfHourFloor(Number(t.from_ms)); b < Math.min(Number(t.to_ms), newFrom); b += HALF_HOUR_MS)
        agents.add(b);
  }
  // Everything from the first event (or a late one before the rolled block) is rolled once.
  const from = [...contacts, ...agents].reduce((a, b) => Math.min(a, b), span.history);
  for (let b = from; b < span.contacts; b += HALF_HOUR_MS) contacts.add(b);
  for (let b = from; b < span.agents; b += HALF_HOUR_MS) agents.add(b);
  for (let b = Math.min(newFrom, settledTo); b < settledTo; b += HALF_HOUR_MS) {
    contacts.add(b);
    agents.add(b);
  }

  const slices = slicesOf(contacts, agents);
  const paramsOf = rollStatementParams(versions, now);
  // Generations only grow: the store's clock at the start, then one step per statement.
  generation = Math.max(generation + 1, upto * 1000);
  for (const slice of slices) {
    const query =
      slice.table === 'contacts'
        ? `INSERT INTO contact_rollup ${CONTACT_ROLLUP_SQL}`
        : `INSERT INTO agent_time_rollup ${AGENT_ROLLUP_SQL}`;
    await client.command({
      query,
      query_params: paramsOf(slice.from, slice.to, generation++),
    });
  }
  const buckets = new Set([...contacts, ...agents]).size;
  const settledFrom = Math.min(from, span.contacts, span.agents, settledTo);
  const seconds = (performance.now() - started) / 1000;
  await client.insert({
    table: 'rollup_runs',
    values: [{ started_at: chTime(upto), settled_from: settledFrom, settled_to: settledTo, buckets, seconds }],
    format: 'JSONEachRow',
  });
  return { buckets, statements: slices.length, settled_from: settledFrom, settled_to: settledTo, seconds };
}

/**
 * Where rolling starts and how far each table is rolled: `history`, the first event's half-hour
 * (settledTo when there is none); `contacts`, `agents`, the first rolled half-hour of each table
 * (settledTo when none). The rolled half-hours of a table are one block up to the settle line.
 */
async function rolledSpan(client: ClickHouseClient, settledTo: number) {
  // Plain min() and count() of a table are answered from part metadata; minOrNull() would scan.
  const [r] = await rowsOf<{
    c: [string, string];
    a: [string, string];
    contacts: string | null;
    agents: string | null;
  }>(
    client,
    `SELECT
       (SELECT (toUnixTimestamp64Milli(min(occurred_at)), count()) FROM contact_events) AS c,
       (SELECT (toUnixTimestamp64Milli(min(occurred_at)), count()) FROM agent_state_events) AS a,
       (SELECT minOrNull(bucket) FROM contact_rollup WHERE is_roll = 1) AS contacts,
       (SELECT minOrNull(bucket) FROM agent_time_rollup WHERE is_roll = 1) AS agents`,
    {},
  );
  const firstEvent = [r!.c, r!.a].filter(([, n]) => Number(n) > 0).map(([t]) => Number(t));
  const first = (v: string | null | undefined) => (v === null || v === undefined ? settledTo : Number(v));
  return {
    history: Math.min(halfHourFloor(Math.min(...firstEvent, settledTo)), settledTo),
    contacts: Math.min(first(r!.contacts), settledTo),
    agents: Math.min(first(r!.agents), settledTo),
  };
}

export interface RollupLoop {
  stop(): Promise<void>;
}

/**
 * Re-rolls every `intervalMs` (0 = never; serve passes CALLCAST_ROLLUP_INTERVAL_S, read in
 * src/config/env.ts), one re-roll at a time, the first at once. Run by the jobs holder only (one process re-rolls a store).
 */
export function startRollupLoop(
  client: ClickHouseClient,
  logger: { info(o: object, m: string): void; warn(o: object, m: string): void },
  intervalMs: number,
): RollupLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = intervalMs <= 0;
  const tick = () => {
    // The dashboards' rollup by contact reason follows this one: rolled right after it.
    running = reroll(client).then(
      async (r) => {
        if (r.buckets > 0) logger.info(r, 'metrics rollup: half-hours rolled');
        const reasons = await rollReasons(client);
        if (reasons.buckets > 0) logger.info(reasons, 'metrics rollup: half-hours rolled by contact reason');
      },
      (error: unknown) => logger.warn({ err: (error as Error).message }, 'metrics rollup: re-roll failed'),
    );
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  if (!stopped) tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
