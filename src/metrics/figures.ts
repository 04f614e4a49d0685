// Counts → ratios, exactly as docs/spec.md defines them. Counts are additive, so a day, week or
// all-queues figure is the ratio of summed counts, never an average of ratios.
import { SL_FORMULAS, type SlFormula } from './settings.js';

export const COUNT_FIELDS = [
  'offered',
  'answered',
  'answered_within_t',
  'short_abandons',
  'abandoned',
  'abandoned_within_t',
  'abandoned_after_t',
  'waiting',
  'wait_s',
  'handled',
  'talk_s',
  'hold_s',
  'wrap_s',
  'transferred',
  'nps_n',
  'promoters',
  'detractors',
  'csat_n',
  'csat_4_5',
  'fcr_n',
  'fcr_yes',
  'fcr_repeat_eligible',
  'fcr_repeat_resolved',
  'fcr_repeat_pending',
  'busy_s',
  'available_s',
] as const;
export type CountField = (typeof COUNT_FIELDS)[number];
export type Counts = Record<CountField, number>;

const ZERO = Object.freeze(Object.fromEntries(COUNT_FIELDS.map((f) => [f, 0])) as Counts);

// A spread copy keeps one object shape for every Counts (fromEntries builds a slow dictionary
// object each time): thousands of rows per answer are summed into these.
export function emptyCounts(): Counts {
  return { ...ZERO };
}

export function addCounts(into: Counts, from: Record<string, unknown>): void {
  for (const f of COUNT_FIELDS) {
    const v = from[f];
    if (v !== undefined) into[f] += typeof v === 'number' ? v : Number(v);
  }
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** Service level under each formula, null when its denominator is 0. */
export function serviceLevels(c: Counts): Record<SlFormula, number | null> {
  const offeredNet = c.offered - c.short_abandons;
  return {
    answered_within_t_over_offered: ratio(c.answered_within_t, offeredNet),
    answered_within_t_over_answered: ratio(c.answered_within_t, c.answered),
    answered_and_abandoned_within_t_over_offered: ratio(c.answered_within_t + c.abandoned_within_t, offeredNet),
    answered_within_t_over_answered_and_abandoned_after_t: ratio(c.answered_within_t, c.answered + c.abandoned_after_t),
  };
}

export interface Ratios {
  service_level: { formula: SlFormula; definition: string; value: number | null };
  service_level_by_formula: Record<SlFormula, number | null>;
  asa_s: number | null;
  aht_s: number | null;
  avg_talk_s: number | null;
  avg_hold_s: number | null;
  avg_wrap_s: number | null;
  abandon_rate: number | null;
  transfer_rate: number | null;
  nps: number | null;
  /** Share of 4–5 answers, 0–1 like every other ratio. */
  csat: number | null;
  /** The same × 100 (0–100); deprecated, kept for existing clients. */
  csat_pct: number | null;
  fcr_survey: number | null;
  fcr_repeat: number | null;
  occupancy: number | null;
}

export function ratios(c: Counts, formula: SlFormula): Ratios {
  const levels = serviceLevels(c);
  return {
    service_level: { formula, definition: SL_FORMULAS[formula], value: levels[formula] },
    service_level_by_formula: levels,
    asa_s: ratio(c.wait_s, c.answered),
    aht_s: ratio(c.talk_s + c.hold_s + c.wrap_s, c.handled),
    avg_talk_s: ratio(c.talk_s, c.handled),
    avg_hold_s: ratio(c.hold_s, c.handled),
    avg_wrap_s: ratio(c.wrap_s, c.handled),
    abandon_rate: ratio(c.abandoned, c.offered - c.short_abandons),
    transfer_rate: ratio(c.transferred, c.handled),
    nps: c.nps_n > 0 ? (100 * (c.promoters - c.detractors)) / c.nps_n : null,
    csat: ratio(c.csat_4_5, c.csat_n),
    csat_pct: c.csat_n > 0 ? (100 * c.csat_4_5) / c.csat_n : null,
    fcr_survey: ratio(c.fcr_yes, c.fcr_n),
    fcr_repeat: ratio(c.fcr_repeat_resolved, c.fcr_repeat_eligible),
    occupancy: ratio(c.busy_s, c.busy_s + c.available_s),
  };
}
