// Arrivals: a non-homogeneous Poisson process per queue. The intensity is piecewise constant
// per half-hour (intraday × weekly × holiday × trend profile), scaled by a gamma-distributed
// daily level (so daily totals are negative binomial, overdispersed), and by any planted surge
// of one contact reason (superposition: each reason is its own Poisson stream).
import { CHANNELS } from '../../src/events/schemas.js';
import type { Prng } from './prng.js';
import {
  CHANNEL_PATIENCE,
  CHANNEL_TALK,
  type CompiledQueue,
  DAY_MS,
  HALF_HOUR_MS,
  SLOTS_PER_DAY,
  dayStart,
} from './profiles.js';

/** A planted surge: `reason`'s arrival rate is multiplied by `factor` from `start` (until `end`). */
export interface Surge {
  reason: string;
  factor: number;
  /** Epoch ms. */
  start: number;
  /** Epoch ms; open-ended when absent. */
  end?: number;
}

/** Where a contact is in its life. */
export const ContactState = { Scheduled: 0, Waiting: 1, Answered: 2, Abandoned: 3, Done: 4 } as const;
export type ContactState = (typeof ContactState)[keyof typeof ContactState];

/** One contact: what it intrinsically is (drawn at arrival), then what happened to it. */
export interface Contact {
  serial: number;
  slot: number;
  id: string;
  queue: number;
  channel: number;
  reason: number;
  customer: string | undefined;
  /** Queued time, epoch ms. */
  t: number;
  /** How long the customer waits before hanging up, ms (Infinity for email). */
  patienceMs: number;
  talk: number;
  hold: number;
  wrap: number;
  transferred: boolean;
  resolved: boolean;
  /** 1 for a first contact, 2+ for callbacks / retries of the same issue. */
  attempt: number;
  state: ContactState;
  answeredAt: number;
  agent: number;
}

export function newContact(): Contact {
  return {
    serial: 0,
    slot: -1,
    id: '',
    queue: 0,
    channel: 0,
    reason: 0,
    customer: undefined,
    t: 0,
    patienceMs: 0,
    talk: 0,
    hold: 0,
    wrap: 0,
    transferred: false,
    resolved: false,
    attempt: 1,
    state: ContactState.Scheduled,
    answeredAt: 0,
    agent: -1,
  };
}

/** Draws patience, handle times, transfer and resolution for a contact whose queue, channel and reason are set. */
export function drawContactNeeds(q: CompiledQueue, c: Contact, rng: Prng): void {
  const p = q.profile;
  const channel = CHANNELS[c.channel]!;
  const patienceMean = p.patienceS * CHANNEL_PATIENCE[channel];
  c.patienceMs = patienceMean === Infinity ? Infinity : Math.round(rng.exponential(patienceMean * 1000));
  c.transferred = rng.chance(p.transferP);
  const talk =
    rng.lognormal(p.talk.median, p.talk.sigma) *
    q.reasonTalk[c.reason]! *
    CHANNEL_TALK[channel] *
    (c.transferred ? 1.3 : 1);
  c.talk = Math.max(5, Math.min(14_400, Math.round(talk)));
  c.hold = rng.chance(p.hold.p) ? Math.min(3_600, Math.round(rng.lognormal(p.hold.median, p.hold.sigma))) : 0;
  c.wrap = Math.max(1, Math.min(1_800, Math.round(rng.lognormal(p.wrap.median, p.wrap.sigma))));
  let resolveP = p.resolveP * q.reasonResolve[c.reason]! * (c.transferred ? 0.75 : 1);
  if (c.attempt > 1) resolveP = 1 - (1 - resolveP) * 0.7; // second tries are usually fixed
  c.resolved = rng.chance(Math.min(0.98, resolveP));
}

/** Per-queue surge factors, compiled for fast lookup. */
export class SurgePlan {
  private readonly byReason: { reason: number; factor: number; start: number; end: number }[];

  constructor(q: CompiledQueue, surges: readonly Surge[]) {
    this.byReason = [];
    for (const s of surges) {
      const r = q.reasonNames.indexOf(s.reason);
      if (r >= 0) this.byReason.push({ reason: r, factor: s.factor, start: s.start, end: s.end ?? Infinity });
    }
  }

  get empty(): boolean {
    return this.byReason.length === 0;
  }

  /** Fills mult[r] with the largest factor reason r can have in [from, to). */
  maxFactors(from: number, to: number, mult: Float64Array): void {
    mult.fill(1);
    for (const s of this.byReason) if (s.start < to && s.end > from) mult[s.reason]! *= Math.max(1, s.factor);
  }

  /** Fills mult[r] with reason r's factor at time t. */
  factorsAt(t: number, mult: Float64Array): void {
    mult.fill(1);
    for (const s of this.byReason) if (s.start <= t && t < s.end) mult[s.reason]! *= s.factor;
  }
}

export interface ArrivalOptions {
  /** Gamma-distributed daily level (overdispersion); false = plain Poisson. */
  overdispersion: boolean;
  /** Volume multiplier on top of the profile. */
  volumeScale: number;
}

/** Scratch buffers reused between calls (allocation-light). */
const scratch = { max: new Float64Array(16), now: new Float64Array(16), cum: new Float64Array(16) };

/**
 * Generates one queue's arrivals in [from, to) (both inside one UTC day) in time order,
 * calling `make` for a fresh Contact object for each. Draws only from `rng`, so arrivals do
 * not depend on how the centre is staffed. Returns the day's random level multiplier.
 */
export function generateDayArrivals(
  q: CompiledQueue,
  from: number,
  to: number,
  surges: SurgePlan,
  rng: Prng,
  opts: ArrivalOptions,
  make: () => Contact,
  out: Contact[],
): number {
  const day = dayStart(from);
  if (to > day + DAY_MS) throw new RangeError('generateDayArrivals: [from, to) must lie in one UTC day');
  const p = q.profile;
  const level = opts.overdispersion && Number.isFinite(p.dispersion) ? rng.gamma(p.dispersion, 1 / p.dispersion) : 1;
  const dayVolume = p.dailyVolume * q.dayFactor(day) * level * opts.volumeScale;
  if (dayVolume <= 0) return level;
  const dow = new Date(day).getUTCDay();
  const nReasons = q.reasonWeights.length;
  if (scratch.max.length < nReasons) {
    scratch.max = new Float64Array(nReasons);
    scratch.now = new Float64Array(nReasons);
    scratch.cum = new Float64Array(nReasons);
  }
  const { max, now, cum } = scratch;
  let weightSum = 0;
  for (let r = 0; r < nReasons; r++) weightSum += q.reasonWeights[r]!;
  const baseCum = new Float64Array(nReasons);
  for (let r = 0, c = 0; r < nReasons; r++) baseCum[r] = c += q.reasonWeights[r]!;

  const firstSlot = Math.floor((from - day) / HALF_HOUR_MS);
  for (let s = firstSlot; s < SLOTS_PER_DAY; s++) {
    const share = q.slotShare[dow * SLOTS_PER_DAY + s]!;
    const slotStart = Math.max(from, day + s * HALF_HOUR_MS);
    const slotEnd = Math.min(to, day + (s + 1) * HALF_HOUR_MS);
    if (slotEnd <= slotStart) break;
    if (share === 0) continue;
    const ratePerMs = (dayVolume * share) / HALF_HOUR_MS;
    let boost = 1;
    if (!surges.empty) {
      surges.maxFactors(slotStart, slotEnd, max);
      let m = 0;
      for (let r = 0; r < nReasons; r++) m += q.reasonWeights[r]! * max[r]!;
      boost = m / weightSum;
    }
    const meanGapMs = 1 / (ratePerMs * boost);
    let t = slotStart;
    for (;;) {
      t += rng.exponential(meanGapMs);
      if (t >= slotEnd) break;
      let reason: number;
      if (boost === 1) reason = rng.pickCumulative(baseCum);
      else {
        // Thinning: accept with (current total intensity) / (bound), then pick the reason by its current intensity.
        surges.factorsAt(t, now);
        let total = 0;
        for (let r = 0; r < nReasons; r++) cum[r] = total += q.reasonWeights[r]! * now[r]!;
        if (rng.next() * boost * weightSum >= total) continue;
        reason = rng.pickCumulative(nReasons === cum.length ? cum : cum.subarray(0, nReasons));
      }
      const c = make();
      c.queue = q.index;
      c.t = Math.floor(t);
      c.reason = reason;
      c.channel = rng.pickCumulative(q.channelCum);
      c.customer = rng.chance(0.04) ? undefined : `cus-${(1_000_000 + rng.int(4_000_000)).toString()}`;
      c.attempt = 1;
      drawContactNeeds(q, c, rng);
      out.push(c);
    }
  }
  return level;
}
