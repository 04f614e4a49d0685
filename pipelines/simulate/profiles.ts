// Who calls, when, about what, and for how long: per-queue profiles of the simulated centre.
// All times are UTC; the simulated centre runs on UTC wall-clock hours.
import { CHANNELS } from '../../src/events/schemas.js';

export type Channel = (typeof CHANNELS)[number];

export const DAY_MS = 86_400_000;
export const HALF_HOUR_MS = 1_800_000;
export const SLOTS_PER_DAY = 48;

export interface ReasonMix {
  reason: string;
  /** Relative share of the queue's contacts. */
  weight: number;
  /** Multiplies talk time (technical issues run long, address changes short). */
  talk: number;
  /** Multiplies the chance the contact is resolved. */
  resolve: number;
}

export interface LogNormal {
  median: number;
  sigma: number;
}

/** Opening hours of one weekday, [open, close) in hours since midnight UTC; null = closed. */
export type Hours = readonly [number, number] | null;

export interface QueueProfile {
  name: string;
  /** Expected contacts on a day with weekly factor 1 (a typical Monday), before trend. */
  dailyVolume: number;
  /** Day-of-week factors indexed by getUTCDay() (0 = Sunday). */
  weekly: readonly number[];
  /** Opening hours indexed by getUTCDay(). */
  hours: readonly Hours[];
  /** Intraday peaks: centre hour, width (h, one sd), relative height; plus a floor. */
  peaks: readonly (readonly [number, number, number])[];
  floor: number;
  /** Open on public holidays (at this volume factor), or closed. */
  holidayFactor: number;
  /** Channel shares in CHANNELS order: voice, chat, email, messaging. */
  channels: readonly [number, number, number, number];
  reasons: readonly ReasonMix[];
  talk: LogNormal;
  hold: LogNormal & { p: number };
  wrap: LogNormal;
  /** Mean patience of a voice caller in seconds (exponential). */
  patienceS: number;
  transferP: number;
  resolveP: number;
  /** Share of completed contacts that answer the survey. */
  surveyP: number;
  /** Baseline satisfaction of the queue (latent scale, 0 = neutral). */
  mood: number;
  /** Gamma shape of the daily level multiplier: variance of a day's total is m + m²/shape. */
  dispersion: number;
  /** Growth of volume per year (0.08 = +8 %/year). */
  trendPerYear: number;
  /** Square-root staffing safety factor β in N = a + β√a. */
  safety: number;
  /** Deliberate staffing bias: 0.9 = planned 10 % short, 1.1 = 10 % over. */
  staffingBias: number;
}

/** Talk-time multipliers per channel (chat and messaging run long but interleaved in reality). */
export const CHANNEL_TALK: Readonly<Record<Channel, number>> = { voice: 1, chat: 1.6, email: 0.8, messaging: 1.9 };
/** Patience multipliers per channel; email never abandons. */
export const CHANNEL_PATIENCE: Readonly<Record<Channel, number>> = {
  voice: 1,
  chat: 1.8,
  email: Infinity,
  messaging: 6,
};

const WEEKDAYS_8_20: readonly Hours[] = [null, [8, 20], [8, 20], [8, 20], [8, 20], [8, 20], [9, 14]];

const BASE_PROFILES: readonly QueueProfile[] = [
  {
    name: 'billing',
    dailyVolume: 1400,
    weekly: [0, 1.0, 0.93, 0.88, 0.86, 0.82, 0.35],
    hours: WEEKDAYS_8_20,
    peaks: [
      [10.25, 1.3, 1.0],
      [14.5, 1.6, 0.75],
      [18.5, 1.0, 0.25],
    ],
    floor: 0.08,
    holidayFactor: 0,
    channels: [0.78, 0.12, 0.06, 0.04],
    reasons: [
      { reason: 'billing', weight: 0.42, talk: 1.0, resolve: 1.0 },
      { reason: 'payment failed', weight: 0.24, talk: 0.9, resolve: 0.95 },
      { reason: 'account change', weight: 0.14, talk: 0.8, resolve: 1.05 },
      { reason: 'cancellation', weight: 0.08, talk: 1.2, resolve: 0.85 },
      { reason: 'technical issue', weight: 0.04, talk: 1.3, resolve: 0.7 },
      { reason: 'delivery', weight: 0.08, talk: 0.9, resolve: 0.95 },
    ],
    talk: { median: 250, sigma: 0.65 },
    hold: { p: 0.3, median: 40, sigma: 0.8 },
    wrap: { median: 30, sigma: 0.5 },
    patienceS: 160,
    transferP: 0.06,
    resolveP: 0.84,
    surveyP: 0.18,
    mood: 0.3,
    dispersion: 90,
    trendPerYear: 0.06,
    safety: 0.9,
    staffingBias: 1.0,
  },
  {
    name: 'tech-support',
    dailyVolume: 1150,
    weekly: [0.55, 1.0, 0.97, 0.95, 0.93, 0.88, 0.6],
    hours: [
      [0, 24],
      [0, 24],
      [0, 24],
      [0, 24],
      [0, 24],
      [0, 24],
      [0, 24],
    ],
    peaks: [
      [11, 2.0, 1.0],
      [16, 2.2, 0.8],
      [20.5, 1.5, 0.45],
    ],
    floor: 0.03,
    holidayFactor: 0.5,
    channels: [0.62, 0.22, 0.08, 0.08],
    reasons: [
      { reason: 'technical issue', weight: 0.62, talk: 1.15, resolve: 0.85 },
      { reason: 'account change', weight: 0.12, talk: 0.8, resolve: 1.05 },
      { reason: 'delivery', weight: 0.1, talk: 0.9, resolve: 1.0 },
      { reason: 'billing', weight: 0.06, talk: 0.9, resolve: 1.0 },
      { reason: 'payment failed', weight: 0.05, talk: 0.9, resolve: 0.95 },
      { reason: 'cancellation', weight: 0.05, talk: 1.2, resolve: 0.85 },
    ],
    talk: { median: 380, sigma: 0.75 },
    hold: { p: 0.45, median: 60, sigma: 0.9 },
    wrap: { median: 45, sigma: 0.55 },
    patienceS: 240,
    transferP: 0.1,
    resolveP: 0.74,
    surveyP: 0.15,
    mood: -0.1,
    dispersion: 70,
    trendPerYear: 0.1,
    safety: 0.5,
    staffingBias: 0.9,
  },
  {
    name: 'sales',
    dailyVolume: 800,
    weekly: [0, 0.9, 1.0, 1.0, 0.95, 0.9, 0.7],
    hours: [null, [9, 21], [9, 21], [9, 21], [9, 21], [9, 21], [10, 18]],
    peaks: [
      [11.5, 1.5, 0.8],
      [19, 1.6, 1.0],
    ],
    floor: 0.1,
    holidayFactor: 0,
    channels: [0.7, 0.2, 0.03, 0.07],
    reasons: [
      { reason: 'new order', weight: 0.55, talk: 1.1, resolve: 1.05 },
      { reason: 'account change', weight: 0.15, talk: 0.8, resolve: 1.05 },
      { reason: 'billing', weight: 0.12, talk: 0.9, resolve: 1.0 },
      { reason: 'delivery', weight: 0.18, talk: 0.85, resolve: 0.95 },
    ],
    talk: { median: 300, sigma: 0.7 },
    hold: { p: 0.2, median: 35, sigma: 0.7 },
    wrap: { median: 25, sigma: 0.5 },
    patienceS: 100,
    transferP: 0.05,
    resolveP: 0.88,
    surveyP: 0.12,
    mood: 0.5,
    dispersion: 60,
    trendPerYear: 0.12,
    safety: 1.3,
    staffingBias: 1.1,
  },
  {
    name: 'retention',
    dailyVolume: 420,
    weekly: [0, 1.0, 0.9, 0.85, 0.85, 0.9, 0],
    hours: [null, [9, 18], [9, 18], [9, 18], [9, 18], [9, 18], null],
    peaks: [
      [10.5, 1.2, 0.9],
      [15, 1.5, 1.0],
    ],
    floor: 0.1,
    holidayFactor: 0,
    channels: [0.9, 0.06, 0.04, 0],
    reasons: [
      { reason: 'cancellation', weight: 0.6, talk: 1.1, resolve: 0.85 },
      { reason: 'billing', weight: 0.2, talk: 1.0, resolve: 0.95 },
      { reason: 'payment failed', weight: 0.1, talk: 0.9, resolve: 0.95 },
      { reason: 'account change', weight: 0.1, talk: 0.8, resolve: 1.05 },
    ],
    talk: { median: 420, sigma: 0.6 },
    hold: { p: 0.35, median: 50, sigma: 0.8 },
    wrap: { median: 50, sigma: 0.5 },
    patienceS: 200,
    transferP: 0.04,
    resolveP: 0.7,
    surveyP: 0.2,
    mood: -0.3,
    dispersion: 50,
    trendPerYear: 0.03,
    safety: 1.0,
    staffingBias: 1.0,
  },
  {
    name: 'general',
    dailyVolume: 950,
    weekly: [0.45, 1.0, 0.92, 0.9, 0.9, 0.85, 0.55],
    hours: [
      [9, 17],
      [7, 22],
      [7, 22],
      [7, 22],
      [7, 22],
      [7, 22],
      [8, 18],
    ],
    peaks: [
      [9.75, 1.2, 1.0],
      [13.5, 1.8, 0.85],
      [18, 1.5, 0.4],
    ],
    floor: 0.06,
    holidayFactor: 0,
    channels: [0.72, 0.12, 0.1, 0.06],
    reasons: [
      { reason: 'delivery', weight: 0.3, talk: 0.85, resolve: 1.0 },
      { reason: 'account change', weight: 0.2, talk: 0.8, resolve: 1.05 },
      { reason: 'billing', weight: 0.18, talk: 1.0, resolve: 1.0 },
      { reason: 'password reset', weight: 0.12, talk: 0.6, resolve: 1.1 },
      { reason: 'technical issue', weight: 0.1, talk: 1.2, resolve: 0.8 },
      { reason: 'payment failed', weight: 0.1, talk: 0.9, resolve: 0.95 },
    ],
    talk: { median: 200, sigma: 0.7 },
    hold: { p: 0.25, median: 35, sigma: 0.8 },
    wrap: { median: 25, sigma: 0.5 },
    patienceS: 130,
    transferP: 0.12,
    resolveP: 0.8,
    surveyP: 0.15,
    mood: 0.1,
    dispersion: 80,
    trendPerYear: 0.05,
    safety: 0.7,
    staffingBias: 0.95,
  },
];

export const MAX_QUEUES = 50;

/** The first k queue profiles: the five base queues, then regional copies (billing-2, …) at lower volume. */
export function queueProfiles(k: number): QueueProfile[] {
  if (!Number.isInteger(k) || k < 1 || k > MAX_QUEUES)
    throw new RangeError(`queues must be a whole number from 1 to ${MAX_QUEUES}, got ${k}`);
  const out: QueueProfile[] = [];
  for (let i = 0; i < k; i++) {
    const base = BASE_PROFILES[i % BASE_PROFILES.length]!;
    const copy = Math.floor(i / BASE_PROFILES.length);
    if (copy === 0) out.push(base);
    else {
      const f = 0.4 + 0.2 * ((copy * 7) % 3);
      out.push({ ...base, name: `${base.name}-${copy + 1}`, dailyVolume: Math.round(base.dailyVolume * f) });
    }
  }
  return out;
}

/** Every reason any base queue uses (for validating --surge). */
export function knownReasons(): string[] {
  return [...new Set(BASE_PROFILES.flatMap((p) => p.reasons.map((r) => r.reason)))];
}

/** Midnight UTC of the day holding t. */
export function dayStart(t: number): number {
  return Math.floor(t / DAY_MS) * DAY_MS;
}

function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((weekday - first + 7) % 7) + 7 * (n - 1);
}

function lastWeekdayOfMonth(year: number, month: number, weekday: number): number {
  const lastDate = new Date(Date.UTC(year, month + 1, 0));
  return lastDate.getUTCDate() - ((lastDate.getUTCDay() - weekday + 7) % 7);
}

const holidayCache = new Map<number, boolean>();

/** Public holidays (a US-style set): New Year, Memorial Day, Independence Day, Labor Day, Thanksgiving, Christmas, Boxing Day. */
export function isHoliday(day: number): boolean {
  const cached = holidayCache.get(day);
  if (cached !== undefined) return cached;
  const d = new Date(day);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const date = d.getUTCDate();
  const holiday =
    (m === 0 && date === 1) ||
    (m === 4 && date === lastWeekdayOfMonth(y, 4, 1)) ||
    (m === 6 && date === 4) ||
    (m === 8 && date === nthWeekdayOfMonth(y, 8, 1, 1)) ||
    (m === 10 && date === nthWeekdayOfMonth(y, 10, 4, 4)) ||
    (m === 11 && (date === 25 || date === 26));
  holidayCache.set(day, holiday);
  return holiday;
}

/** Compiled, allocation-free lookups for one queue. */
export class CompiledQueue {
  readonly index: number;
  readonly profile: QueueProfile;
  /** Share of a weekday's volume in each half-hour: [dow * 48 + slot]; 0 when closed. */
  readonly slotShare = new Float64Array(7 * SLOTS_PER_DAY);
  /** Cumulative channel weights (CHANNELS order). */
  readonly channelCum: Float64Array;
  readonly reasonNames: string[];
  readonly reasonWeights: Float64Array;
  readonly reasonTalk: Float64Array;
  readonly reasonResolve: Float64Array;
  /** Expected handle time (talk + hold + wrap) in seconds. */
  readonly expectedAht: number;
  /** The queue list every agent.state of this queue's agents carries. */
  readonly agentQueues: string[];

  constructor(profile: QueueProfile, index: number) {
    this.index = index;
    this.profile = profile;
    this.agentQueues = [profile.name];
    for (let dow = 0; dow < 7; dow++) {
      const hours = profile.hours[dow];
      if (!hours || profile.weekly[dow] === 0) continue;
      let total = 0;
      for (let s = 0; s < SLOTS_PER_DAY; s++) {
        const h = s / 2;
        if (h < hours[0] || h >= hours[1]) continue;
        const x = h + 0.25;
        let w = profile.floor;
        for (const [at, width, height] of profile.peaks) w += height * Math.exp(-0.5 * ((x - at) / width) ** 2);
        // Calls ramp up through the first half-hour of the day.
        if (h === hours[0] && hours[0] > 0) w *= 0.6;
        this.slotShare[dow * SLOTS_PER_DAY + s] = w;
        total += w;
      }
      for (let s = 0; s < SLOTS_PER_DAY; s++) this.slotShare[dow * SLOTS_PER_DAY + s]! /= total;
    }
    this.channelCum = new Float64Array(4);
    let c = 0;
    for (let i = 0; i < 4; i++) this.channelCum[i] = c += profile.channels[i]!;
    this.reasonNames = profile.reasons.map((r) => r.reason);
    this.reasonWeights = Float64Array.from(profile.reasons.map((r) => r.weight));
    this.reasonTalk = Float64Array.from(profile.reasons.map((r) => r.talk));
    this.reasonResolve = Float64Array.from(profile.reasons.map((r) => r.resolve));
    const lnMean = (l: LogNormal) => l.median * Math.exp((l.sigma * l.sigma) / 2);
    let reasonTalk = 0;
    let weightSum = 0;
    profile.reasons.forEach((r) => ((reasonTalk += r.weight * r.talk), (weightSum += r.weight)));
    let channelTalk = 0;
    CHANNELS.forEach((ch, i) => (channelTalk += profile.channels[i]! * CHANNEL_TALK[ch]));
    const talk = lnMean(profile.talk) * (reasonTalk / weightSum) * channelTalk * (1 + 0.3 * profile.transferP);
    this.expectedAht = talk + profile.hold.p * lnMean(profile.hold) + lnMean(profile.wrap);
  }

  get name(): string {
    return this.profile.name;
  }

  /** Volume factor of a whole day: weekly × trend × holiday effects (no random level). */
  dayFactor(day: number): number {
    const dow = new Date(day).getUTCDay();
    let f = this.profile.weekly[dow]!;
    if (isHoliday(day)) f *= this.profile.holidayFactor;
    else if (isHoliday(day - DAY_MS)) f *= 1.25; // catch-up after a holiday
    const years = (day - Date.UTC(2026, 0, 1)) / (365.25 * DAY_MS);
    return f * Math.pow(1 + this.profile.trendPerYear, years);
  }

  /** Expected arrivals in the half-hour starting at slotStart (no random level, no surge). */
  expectedArrivals(slotStart: number): number {
    const day = dayStart(slotStart);
    const dow = new Date(day).getUTCDay();
    const slot = Math.floor((slotStart - day) / HALF_HOUR_MS);
    const share = this.slotShare[dow * SLOTS_PER_DAY + slot]!;
    return share === 0 ? 0 : this.profile.dailyVolume * this.dayFactor(day) * share;
  }

  /** Is the queue taking contacts at time t? */
  isOpen(t: number): boolean {
    const day = dayStart(t);
    if (isHoliday(day) && this.profile.holidayFactor === 0) return false;
    const dow = new Date(day).getUTCDay();
    return this.slotShare[dow * SLOTS_PER_DAY + Math.floor((t - day) / HALF_HOUR_MS)]! > 0;
  }

  /** The first open moment at or after t (within 14 days; else t). */
  nextOpen(t: number): number {
    if (this.isOpen(t)) return t;
    let s = Math.ceil(t / HALF_HOUR_MS) * HALF_HOUR_MS;
    for (let i = 0; i < 14 * SLOTS_PER_DAY; i++, s += HALF_HOUR_MS) if (this.isOpen(s)) return s;
    return t;
  }
}
