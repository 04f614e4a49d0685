// The simulated contact centre's public face: history over [start, end) as fast as possible,
// or live, paced to the wall clock. Both are the same engine (queue-sim.ts).
import { setTimeout as delay } from 'node:timers/promises';
import type { CallcastEvent } from '../../src/events/schemas.js';
import type { Surge } from './arrivals.js';
import { DAY_MS, MAX_QUEUES, queueProfiles } from './profiles.js';
import { ContactCentreEngine } from './queue-sim.js';

export type { Surge } from './arrivals.js';

export interface SimulateOptions {
  /** Days of history (whole days ≥ 1 for history; ≥ 0 backfill before live). Default 7 (history), 0 (live). */
  days?: number;
  /** How many queues (1–50): billing, tech-support, sales, retention, general, then billing-2, …. Default 5. */
  queues?: number;
  /** Seed of every random draw. Default 1. */
  seed?: number | string;
  /** First instant simulated (epoch ms, Date or ISO string). Default: `days` days before today's midnight UTC. */
  start?: number | Date | string;
  /** Planted surges of one contact reason. */
  surges?: readonly Surge[];
  /** Multiplies every half-hour's staffing target (1 = as planned; 0.7 = 30 % short). Default 1. */
  staffingFactor?: number;
  /** Multiplies every queue's volume. Default 1. */
  volumeScale?: number;
  /** Gamma daily level multiplier (negative-binomial daily totals). Default true. */
  overdispersion?: boolean;
  /** Scales callback / retry probabilities; 0 turns repeat contacts off. Default 1. */
  repeatFactor?: number;
}

export interface LiveOptions extends SimulateOptions {
  /** Simulated seconds per wall-clock second (60 = a simulated minute each second). Default 1. */
  rate?: number;
  /** Largest batch yielded. Default 1000. */
  batchSize?: number;
  /** Stops the stream (the generator returns). */
  signal?: AbortSignal;
  /** Clock, injectable for tests. */
  clock?: LiveClock;
}

export interface LiveClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const HOUR_MS = 3_600_000;

function toEpochMs(value: number | Date | string, what: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : parseUtc(value);
  if (!Number.isFinite(ms)) throw new RangeError(`${what}: not a valid time: ${String(value)}`);
  return ms;
}

/** Parses an ISO-8601 time; without an offset it is taken as UTC. */
export function parseUtc(text: string): number {
  const t = text.trim();
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(t);
  if (!/^\d{4}-\d\d-\d\d/.test(t)) return NaN;
  if (!t.includes('T')) return Date.parse(`${t}T00:00:00Z`);
  return Date.parse(hasZone ? t : `${t}Z`);
}

/** Midnight UTC `days` days before the day of `now`. */
export function defaultStart(days: number, now = Date.now()): number {
  return Math.floor(now / DAY_MS) * DAY_MS - days * DAY_MS;
}

/**
 * Parses `reason:factor:start` (e.g. `payment failed:3:2026-11-20T10:00`). The start is an ISO
 * time (UTC unless it has an offset) or an offset from `base` like `+90m`, `+6h`, `+2d`.
 */
export function parseSurge(spec: string, base = Date.now()): Surge {
  const first = spec.indexOf(':');
  const second = first < 0 ? -1 : spec.indexOf(':', first + 1);
  if (first <= 0 || second < 0)
    throw new RangeError(`expected reason:factor:start, e.g. "payment failed:3:2026-11-20T10:00", got "${spec}"`);
  const reason = spec.slice(0, first).trim();
  const factorText = spec.slice(first + 1, second).trim();
  const startText = spec.slice(second + 1).trim();
  const factor = Number(factorText);
  if (reason === '') throw new RangeError(`surge reason is empty in "${spec}"`);
  if (factorText === '' || !Number.isFinite(factor) || factor < 0 || factor > 100) {
    throw new RangeError(`surge factor must be a number from 0 to 100, got "${factorText}"`);
  }
  const rel = /^\+(\d+(?:\.\d+)?)([mhd])$/.exec(startText);
  const start = rel
    ? base + Number(rel[1]) * { m: 60_000, h: HOUR_MS, d: DAY_MS }[rel[2] as 'm' | 'h' | 'd']
    : parseUtc(startText);
  if (!Number.isFinite(start))
    throw new RangeError(
      `surge start must be an ISO time like 2026-11-20T10:00 (UTC) or +30m/+6h/+2d, got "${startText}"`,
    );
  return { reason, factor, start };
}

interface Resolved {
  start: number;
  end: number;
  engine: ContactCentreEngine;
}

function resolve(options: SimulateOptions, live: boolean): Resolved {
  const days = options.days ?? (live ? 0 : 7);
  if (!Number.isInteger(days) || days < (live ? 0 : 1) || days > 3660) {
    throw new RangeError(`days must be a whole number from ${live ? 0 : 1} to 3660, got ${days}`);
  }
  const queues = options.queues ?? 5;
  if (!Number.isInteger(queues) || queues < 1 || queues > MAX_QUEUES) {
    throw new RangeError(`queues must be a whole number from 1 to ${MAX_QUEUES}, got ${queues}`);
  }
  const now = Date.now();
  const start =
    options.start !== undefined
      ? toEpochMs(options.start, 'start')
      : live && days === 0
        ? now
        : defaultStart(days, now);
  const profiles = queueProfiles(queues);
  const surges = options.surges ?? [];
  const reasons = new Set(profiles.flatMap((p) => p.reasons.map((r) => r.reason)));
  for (const s of surges) {
    if (!reasons.has(s.reason)) {
      throw new RangeError(
        `surge reason "${s.reason}" is not a contact reason of the simulated queues (known: ${[...reasons].join(', ')})`,
      );
    }
  }
  const positive = (v: number | undefined, name: string, fallback: number, max: number) => {
    const x = v ?? fallback;
    if (!Number.isFinite(x) || x < 0 || x > max)
      throw new RangeError(`${name} must be a number from 0 to ${max}, got ${v}`);
    return x;
  };
  const engine = new ContactCentreEngine({
    seed: options.seed ?? 1,
    start,
    profiles,
    surges,
    staffingFactor: positive(options.staffingFactor, 'staffingFactor', 1, 10),
    volumeScale: positive(options.volumeScale, 'volumeScale', 1, 100),
    overdispersion: options.overdispersion ?? true,
    repeatFactor: positive(options.repeatFactor, 'repeatFactor', 1, 2),
    shrinkage: 0.14,
  });
  return { start, end: live ? Infinity : start + days * DAY_MS, engine };
}

/** History over [start, start + days) in batches (each in time order, batches consecutive). */
export function* simulateHistoryBatches(options: SimulateOptions = {}, batchSize = 1000): Generator<CallcastEvent[]> {
  const { start, end, engine } = resolve(options, false);
  let buffer: CallcastEvent[] = [];
  for (let t = start; t < end;) {
    const next = Math.min(end, t + HOUR_MS);
    engine.runUntil(next, buffer);
    t = next;
    while (buffer.length >= batchSize) {
      if (buffer.length === batchSize) {
        yield buffer;
        buffer = [];
      } else {
        yield buffer.slice(0, batchSize);
        buffer = buffer.slice(batchSize);
      }
    }
  }
  if (buffer.length > 0) yield buffer;
}

/** History over [start, start + days), one event at a time, in occurred_at order. */
export function* simulateHistory(options: SimulateOptions = {}): Generator<CallcastEvent> {
  const { start, end, engine } = resolve(options, false);
  const buffer: CallcastEvent[] = [];
  for (let t = start; t < end;) {
    const next = Math.min(end, t + HOUR_MS);
    buffer.length = 0;
    engine.runUntil(next, buffer);
    t = next;
    yield* buffer;
  }
}

export interface StretchOptions extends SimulateOptions {
  /** After the stretch ends, how long its open contacts may still answer, end and be surveyed. Default 4 h. */
  drainMs?: number;
}

/**
 * A stretch of history that loads on its own, in any order with its neighbours: [start, start +
 * days), then for `drainMs` more only the events of contacts queued inside it (answers,
 * completions, abandons, surveys), so none is left waiting where the next stretch begins. Agents'
 * states and new contacts after the end are the next stretch's. Batches in time order.
 */
export function* simulateStretchBatches(options: StretchOptions = {}, batchSize = 1000): Generator<CallcastEvent[]> {
  const { start, end, engine } = resolve(options, false);
  const drainEnd = end + (options.drainMs ?? 4 * HOUR_MS);
  const contacts = new Set<string>();
  let buffer: CallcastEvent[] = [];
  for (let t = start; t < drainEnd;) {
    const next = Math.min(t < end ? end : drainEnd, t + HOUR_MS);
    const step = engine.runUntil(next, []);
    if (t < end) {
      for (const e of step) if (e.type === 'contact.queued') contacts.add(e.contact_id);
      buffer.push(...step);
    } else {
      for (const e of step) if ('contact_id' in e && contacts.has(e.contact_id)) buffer.push(e);
    }
    t = next;
    while (buffer.length >= batchSize) {
      yield buffer.slice(0, batchSize);
      buffer = buffer.slice(batchSize);
    }
  }
  if (buffer.length > 0) yield buffer;
}

const realClock: LiveClock = {
  now: () => Date.now(),
  // Ends early, without rejecting, when the stream is stopped.
  sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => {}),
};

/**
 * Events paced to the wall clock: simulated time runs `rate` times faster than real time from
 * the moment of the call. With `days` > 0 (or a past `start`) the backlog up to now is yielded
 * at once first, in batches. Runs until `signal` aborts.
 */
export async function* simulateLive(options: LiveOptions = {}): AsyncGenerator<CallcastEvent[]> {
  const rate = options.rate ?? 1;
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1_000_000)
    throw new RangeError(`rate must be a number above 0 (up to 1000000), got ${options.rate}`);
  const batchSize = options.batchSize ?? 1000;
  const clock = options.clock ?? realClock;
  const { start, engine } = resolve(options, true);
  const wall0 = clock.now();
  const anchor = Math.max(start, wall0);
  let cursor = start;
  let buffer: CallcastEvent[] = [];
  while (!options.signal?.aborted) {
    const simNow = anchor + (clock.now() - wall0) * rate;
    // Catch up in hour-sized steps so a backfill streams instead of piling up.
    const until = Math.min(Math.floor(simNow) + 1, cursor + HOUR_MS);
    engine.runUntil(until, buffer);
    cursor = until;
    while (buffer.length > 0) {
      const batch = buffer.length <= batchSize ? buffer : buffer.slice(0, batchSize);
      buffer = buffer.length <= batchSize ? [] : buffer.slice(batchSize);
      yield batch;
      if (options.signal?.aborted) return;
    }
    if (until <= simNow) continue; // still catching up
    const waitMs = (engine.nextTime() - simNow) / rate;
    await clock.sleep(Math.min(1000, Math.max(10, waitMs)), options.signal);
  }
}
