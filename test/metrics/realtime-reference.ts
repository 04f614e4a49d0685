// The per-queue wallboard snapshot as it was before snapshotAll batched every queue into a
// fixed number of queries (src/metrics/realtime.ts): ~6 store queries per queue. Kept verbatim
// as the reference the batched path must deep-equal (realtime-all.test.ts, bench/query.ts).
import type { ClickHouseClient } from '@clickhouse/client';
import { queryMetrics, queryMetricsFromScratch } from '../../src/metrics/query.js';
import type { QueueSnapshot } from '../../src/metrics/realtime.js';
import { chTime, currentVersion, loadVersions, type SettingsVersion } from '../../src/metrics/settings.js';
import { nextLocalDay, startOfLocalDay } from '../../src/metrics/tz.js';
import { AGENT_STATES } from '../../src/events/index.js';

/** Contacts queued longer ago than this and never answered or abandoned are treated as lost data. */
const WAITING_LOOKBACK_MS = 24 * 3_600_000;

const WAITING_SQL = `
SELECT count() AS waiting, min(q) AS oldest FROM (
  SELECT contact_id, min(queued_at) AS q, min(answered_at) AS a, min(abandoned_at) AS ab, min(completed_at) AS c
  FROM contact_state
  WHERE day >= toDate({since:DateTime64(3)}) AND contact_id IN (
    SELECT contact_id FROM contact_events
    WHERE type = 'contact.queued' AND queue = {queue:String} AND occurred_at >= {since:DateTime64(3)} AND occurred_at <= {now:DateTime64(3)}
  )
  GROUP BY contact_id
  HAVING q <= {now:DateTime64(3)} AND (a IS NULL OR a > {now:DateTime64(3)})
    AND (ab IS NULL OR ab > {now:DateTime64(3)}) AND (c IS NULL OR c > {now:DateTime64(3)})
)`;

// An agent's state is that of its latest event; silent for a day counts as offline.
const AGENTS_SQL = `
SELECT s AS state, count() AS n FROM (
  SELECT agent_id, argMax(state, (occurred_at, event_id)) AS s, argMax(queues, (occurred_at, event_id)) AS qs
  FROM agent_state_events
  WHERE occurred_at > {since:DateTime64(3)} AND occurred_at <= {now:DateTime64(3)}
  GROUP BY agent_id
) WHERE has(qs, {queue:String}) GROUP BY s`;

// The latest successful run per channel; absent forecasts (or no forecasts table) give nulls.
const FORECAST_SQL = `
SELECT toUnixTimestamp(interval_start) * 1000 AS bucket, sum(volume) AS volume
FROM forecasts
WHERE queue = {queue:String} AND interval_start >= {from:DateTime64(3)} AND interval_start < {to:DateTime64(3)}
  AND (channel, run_id) IN (
    SELECT channel, argMax(run_id, finished_at) FROM forecast_runs
    WHERE queue = {queue:String} AND status = 'ok' GROUP BY channel
  )
GROUP BY bucket`;

async function forecastByHalfHour(
  client: ClickHouseClient,
  queue: string,
  from: number,
  to: number,
): Promise<Map<number, number>> {
  try {
    const found = await rows<{ bucket: string; volume: number }>(client, FORECAST_SQL, {
      queue,
      from: chTime(from),
      to: chTime(to),
    });
    return new Map(found.map((r) => [Number(r.bucket), Number(r.volume)]));
  } catch (error) {
    if (/UNKNOWN_TABLE|doesn't exist|does not exist/i.test(String((error as Error).message))) return new Map();
    throw error;
  }
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  return (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
}

export async function referenceQueueSnapshot(
  client: ClickHouseClient,
  queue: string,
  now: number,
  versions?: SettingsVersion[],
  /** Today's figures from per-contact state alone, without the rollup. */
  fromScratch = false,
): Promise<QueueSnapshot> {
  const version = currentVersion(versions ?? (await loadVersions(client, [queue])).get(queue)!, now);
  const tz = version.settings.time_zone;
  const dayStart = startOfLocalDay(now, tz);
  const params = { queue, since: chTime(now - WAITING_LOOKBACK_MS), now: chTime(now) };
  const dayEnd = nextLocalDay(dayStart, tz);
  const [today, waiting, agents, forecast] = await Promise.all([
    (fromScratch ? queryMetricsFromScratch : queryMetrics)(client, {
      queue,
      from: dayStart,
      to: dayEnd,
      interval: '30m',
      now,
    }),
    rows<{ waiting: string; oldest: string | null }>(client, WAITING_SQL, params),
    rows<{ state: string; n: string }>(client, AGENTS_SQL, params),
    forecastByHalfHour(client, queue, dayStart, dayEnd),
  ]);
  const byState = Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as QueueSnapshot['agents'];
  for (const a of agents) if (a.state in byState) byState[a.state as keyof typeof byState] = Number(a.n);
  const w = waiting[0];
  const waitingNow = Number(w?.waiting ?? 0);
  const oldest = waitingNow > 0 && w?.oldest ? Date.parse(`${w.oldest.replace(' ', 'T')}Z`) : undefined;
  const sl = today.total.service_level.value;
  return {
    queue,
    generated_at: new Date(now).toISOString(),
    time_zone: tz,
    settings_version: version.version,
    waiting_now: waitingNow,
    longest_wait_s: oldest === undefined ? null : Math.max(0, (now - oldest) / 1000),
    agents: byState,
    today: today.total,
    // The whole local day (46, 48 or 50 half-hours): later ones carry only the forecast.
    half_hours: today.rows.map((r) => ({
      start: r.start,
      start_local: r.start_local,
      offered: r.counts.offered,
      service_level: r.service_level.value,
      forecast_offered: forecast.get(Date.parse(r.start)) ?? null,
    })),
    below_target: sl !== null && sl < version.settings.sl_target,
  };
}

/** Every known queue: seen in contacts, or configured. */
async function listQueues(client: ClickHouseClient): Promise<string[]> {
  const found = await rows<{ queue: string }>(
    client,
    `SELECT queue FROM (SELECT queue FROM queues_seen UNION DISTINCT SELECT queue FROM queue_settings) WHERE queue != '' ORDER BY queue`,
    {},
  );
  return found.map((r) => r.queue);
}

export async function referenceSnapshotAll(
  client: ClickHouseClient,
  now: number,
  only?: string,
  fromScratch = false,
): Promise<QueueSnapshot[]> {
  const queues = only ? [only] : await listQueues(client);
  const versions = await loadVersions(client, queues);
  return Promise.all(queues.map((q) => referenceQueueSnapshot(client, q, now, versions.get(q), fromScratch)));
}
