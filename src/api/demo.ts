// The embedded demo: seeds eight weeks of simulated history (when the store is empty), then
// streams live simulated events paced to the wall clock, through the normal ingest writer. The
// history loads newest week first: the last week (and today) is in the store and live within a
// minute, so the wallboard and recent figures are right at once; older weeks follow, each an
// independent stretch (pipelines/simulate, simulateStretchBatches), while the stream runs.
// The store is marked as simulated (demo_simulation, sql/101), so a restart with
// CALLCAST_SIMULATE=auto resumes the live stream: contacts still waiting when the demo stopped
// are abandoned as of that moment (noted in the event), the gap since then (up to 24 h) is
// simulated, and live events follow — no contact stays "waiting" across a restart.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ClickHouseClient } from '@clickhouse/client';
import { clickhouseTime, type CallcastEvent } from '../events/index.js';
import type { Store } from '../store/index.js';
import { simulateLive, simulateStretchBatches } from '../../pipelines/simulate/generator.js';
import { storeSink } from '../../pipelines/ingest/store-sink.js';
import type { BatchWriter } from '../../pipelines/ingest/writer.js';

export const DEMO_HISTORY_DAYS = 56;
export const DEMO_QUEUES = 5;
/** The note on contact.abandoned events that close contacts left waiting when the demo stopped. */
export const CLOSED_AT_RESTART = 'closed at restart: still waiting when the demo simulator stopped';
const DAY_MS = 86_400_000;
/** How far back a resumed demo looks for waiting contacts, and the longest gap it fills. */
const RESUME_WINDOW_MS = DAY_MS;
/** Seeded history loads in stretches of this many days, newest first. */
export const DEMO_STRETCH_DAYS = 7;
/** Batches of the older stretches: small enough that generating one does not hold up the API. */
const OLDER_BATCH = 10_000;

export interface DemoSimulation {
  /** 'seeded': history loaded into an empty store first; 'resumed': a simulated store restarted; 'live': live only. */
  readonly mode: 'seeded' | 'resumed' | 'live';
  /** Resolves when the stream is live: the newest stretch of history (or the gap since the last run) is loaded. */
  readonly live: Promise<void>;
  /** Resolves when all the history is loaded too (older stretches load while the stream runs). */
  readonly caughtUp: Promise<void>;
  stop(): Promise<void>;
}

export interface DemoOptions {
  /** Days of history seeded into an empty store. Default 56. */
  historyDays?: number;
  /** Days per stretch of seeded history (the newest stretch first). Default 7. */
  stretchDays?: number;
  /** Simulated queues. Default 5. */
  queues?: number;
}

/** A stretch of seeded history: [from, to), epoch ms. */
export interface HistoryStretch {
  from: number;
  to: number;
}

/**
 * The stretches of `days` of history before today's midnight UTC, newest first, each `stretchDays`
 * long (the oldest may be shorter). The newest one runs on into the live stream.
 */
export function historyStretches(days: number, stretchDays: number, nowMs: number): HistoryStretch[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const size = Math.max(1, Math.floor(stretchDays));
  const out: HistoryStretch[] = [];
  for (let to = today, left = days; left > 0;) {
    const n = Math.min(size, left);
    out.push({ from: to - n * DAY_MS, to });
    to -= n * DAY_MS;
    left -= n;
  }
  return out;
}

async function scalar(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}) {
  const [row] = await (
    await client.query({ query, query_params: params, format: 'JSONEachRow' })
  ).json<{
    v: string | number | null;
  }>();
  return row?.v ?? null;
}

async function historyIsEmpty(client: ClickHouseClient): Promise<boolean> {
  return Number(await scalar(client, 'SELECT count() AS v FROM contact_events')) === 0;
}

export async function isSimulatedStore(client: ClickHouseClient): Promise<boolean> {
  return Number(await scalar(client, 'SELECT count() AS v FROM demo_simulation')) > 0;
}

/**
 * Starts the demo when the mode and the store call for it: `on` always (history only into an
 * empty store); `auto` on the embedded store when it is empty or was filled by the demo;
 * `off` never.
 */
export async function startDemoIfWanted(
  mode: 'on' | 'off' | 'auto',
  store: Store,
  writer: BatchWriter,
  log: Logger,
  options: DemoOptions = {},
): Promise<DemoSimulation | undefined> {
  if (mode === 'off') return undefined;
  const empty = await historyIsEmpty(store.client);
  const simulated = !empty && (await isSimulatedStore(store.client));
  if (mode === 'auto' && !(store.kind === 'embedded' && (empty || simulated))) return undefined;
  return startDemoSimulation(writer, log, {
    ...options,
    seedHistory: empty,
    resume: simulated ? store.client : undefined,
    mark: store.client,
  });
}

/** Abandons, as of the last event stored, every contact of the last day still waiting. */
export async function closeWaitingContacts(
  client: ClickHouseClient,
  writer: BatchWriter,
): Promise<{ closed: number; at: number | undefined }> {
  const last = await scalar(client, 'SELECT toUnixTimestamp64Milli(max(occurred_at)) AS v FROM contact_events');
  const at = last === null || Number(last) <= 0 ? undefined : Number(last);
  if (at === undefined) return { closed: 0, at };
  const waiting = await (
    await client.query({
      query: `SELECT contact_id, toUnixTimestamp64Milli(min(queued_at)) AS queued_ms
        FROM contact_state
        WHERE day >= toDate(fromUnixTimestamp64Milli({since:Int64}))
        GROUP BY contact_id
        HAVING min(queued_at) IS NOT NULL AND min(queued_at) >= fromUnixTimestamp64Milli({since:Int64})
          AND min(answered_at) IS NULL AND min(abandoned_at) IS NULL AND min(completed_at) IS NULL`,
      query_params: { since: at - RESUME_WINDOW_MS },
      format: 'JSONEachRow',
    })
  ).json<{ contact_id: string; queued_ms: string | number }>();
  const events = waiting.map(
    (w) =>
      ({
        event_id: randomUUID(),
        type: 'contact.abandoned',
        occurred_at: Math.max(at, Number(w.queued_ms)),
        contact_id: w.contact_id,
        note: CLOSED_AT_RESTART,
      }) as unknown as CallcastEvent,
  );
  for (let i = 0; i < events.length; i += 10_000) await storeSink(writer).send(events.slice(i, i + 10_000));
  return { closed: events.length, at };
}

export function startDemoSimulation(
  writer: BatchWriter,
  log: Logger,
  options: DemoOptions & { seedHistory: boolean; resume?: ClickHouseClient; mark?: ClickHouseClient },
): DemoSimulation {
  const abort = new AbortController();
  const sink = storeSink(writer);
  const queues = options.queues ?? DEMO_QUEUES;
  const days = options.seedHistory ? (options.historyDays ?? DEMO_HISTORY_DAYS) : 0;
  const stretches = historyStretches(days, options.stretchDays ?? DEMO_STRETCH_DAYS, Date.now());
  const mode = options.seedHistory ? 'seeded' : options.resume ? 'resumed' : 'live';
  // Seeded event ids repeat for a seed: a resumed run takes a new seed, or its events would be
  // taken for duplicates of the first run's and dropped.
  const seed = options.seedHistory ? 1 : (Date.now() % 2_000_000_000) + 2;
  log.info(
    { days, queues, mode },
    mode === 'seeded'
      ? 'seeding a simulated contact centre in the background (the API is up), newest week first, then streaming live'
      : mode === 'resumed'
        ? 'resuming the simulated contact centre of this store'
        : 'streaming live simulated events',
  );
  let live!: () => void;
  const livePromise = new Promise<void>((resolve) => (live = resolve));
  const started = Date.now();
  let sent = 0;
  const progress = (loadedDays: number) => ({
    percent: days === 0 ? 100 : Math.round((100 * loadedDays) / days),
    events: sent,
    seconds: Math.round((Date.now() - started) / 1000),
  });

  // The stream: the newest stretch (or the gap since the last run), then live events.
  const streaming = (async () => {
    let start: number | undefined;
    if (options.mark) {
      await options.mark.insert({
        table: 'demo_simulation',
        values: [
          {
            started_at: clickhouseTime(Date.now()),
            seed,
            queues,
            history_days: days,
            resumed: mode === 'resumed' ? 1 : 0,
          },
        ],
        format: 'JSONEachRow',
      });
    }
    if (options.resume) {
      const { closed, at } = await closeWaitingContacts(options.resume, writer);
      if (at !== undefined) {
        log.info(
          { closed, stopped_at: new Date(at).toISOString() },
          'contacts still waiting when the demo stopped are abandoned as of then',
        );
        // Fill the gap since the demo stopped (up to a day), then go live.
        start = Math.max(at + 1, Date.now() - RESUME_WINDOW_MS);
      }
    }
    const newest = stretches[0];
    let isLive = false;
    for await (const batch of simulateLive({
      days: newest ? Math.round((newest.to - newest.from) / DAY_MS) : 0,
      queues,
      seed,
      batchSize: 20_000,
      signal: abort.signal,
      ...(start !== undefined ? { start } : {}),
    })) {
      await sink.send(batch);
      sent += batch.length;
      if (isLive) continue;
      const last = batch[batch.length - 1];
      const lastAt =
        last === undefined ? 0 : typeof last.occurred_at === 'number' ? last.occurred_at : Date.parse(last.occurred_at);
      if (Date.now() - lastAt < 60_000) {
        isLive = true;
        live();
        log.info(
          { ...(newest ? { loaded_from: iso(newest.from), ...progress((newest.to - newest.from) / DAY_MS) } : {}) },
          newest ? 'newest simulated history loaded; live from now, older weeks loading' : 'live from now',
        );
      }
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) log.error({ err: (error as Error).message }, 'simulator stopped');
  });
  void streaming.then(() => live());

  // The older stretches, newest first, once the stream is live.
  const older = (async () => {
    await livePromise;
    if (abort.signal.aborted) return;
    let loadedDays = stretches[0] ? (stretches[0].to - stretches[0].from) / DAY_MS : 0;
    for (const [k, stretch] of stretches.slice(1).entries()) {
      const stretchDays = Math.round((stretch.to - stretch.from) / DAY_MS);
      // Each stretch its own seed: its contact and event ids never meet another stretch's.
      const batches = simulateStretchBatches(
        { start: stretch.from, days: stretchDays, queues, seed: `${seed}:older-${k + 1}` },
        OLDER_BATCH,
      );
      for (const batch of batches) {
        if (abort.signal.aborted) return;
        await sink.send(batch);
        sent += batch.length;
        // Let the live stream and the API run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
      loadedDays += stretchDays;
      log.info({ loaded_from: iso(stretch.from), ...progress(loadedDays) }, 'loading simulated history');
    }
    if (stretches.length > 1) log.info(progress(loadedDays), 'simulated history loaded');
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) log.error({ err: (error as Error).message }, 'simulated history stopped loading');
  });

  return {
    mode,
    live: livePromise,
    caughtUp: older,
    async stop() {
      abort.abort();
      await Promise.all([streaming, older]);
    },
  };
}

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
