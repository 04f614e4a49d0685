// The VOC report as JSON (the HTML and Markdown are drawn from this object, nothing else).
import type { Counts } from '../metrics/figures.js';
import type { SlFormula } from '../metrics/settings.js';
import type { Comment, Term } from './terms.js';

export interface ServiceLevelValue {
  formula: SlFormula;
  definition: string;
  value: number | null;
}

/** One week's headline figures with the counts they come from. */
export interface TrendWeek {
  week: string;
  start: string;
  end: string;
  counts: Counts;
  nps: number | null;
  csat_pct: number | null;
  fcr_survey: number | null;
  fcr_repeat: number | null;
  aht_s: number | null;
  service_level: ServiceLevelValue;
}

/** A headline figure this week vs last: value, sample size, 95 % interval, and the change test. */
export interface Headline {
  value: number | null;
  n: number;
  ci95: [number, number] | null;
  previous: number | null;
  previous_n: number;
  change: number | null;
  /** Two-sided p-value of the week-over-week difference (two-proportion z, or NPS normal approx). */
  p_value: number | null;
  /** p_value < 0.05: the change is more than sampling noise. */
  significant: boolean;
}

export interface ReasonFigures {
  reason: string;
  offered: number;
  share: number | null;
  handled: number;
  aht_s: number | null;
  previous_offered: number;
  previous_aht_s: number | null;
  nps_n: number;
  detractors: number;
  detractor_share: number | null;
  detractor_share_ci95: [number, number] | null;
  expected: number | null;
  ratio: number | null;
  p_value: number | null;
  p_adjusted: number | null;
  surge: boolean;
}

export interface Voice {
  reason: string;
  comments_n: number;
  terms: Term[];
  comments: Comment[];
}

export interface QueueServiceLevel {
  queue: string;
  threshold_s: number;
  sl_target: number;
  service_level: ServiceLevelValue;
  offered: number;
  met: boolean | null;
  /** Local days of the week whose service level was below target. */
  missed_days: Array<{ date: string; value: number; offered: number }>;
  half_hours_with_contacts: number;
  half_hours_below_target: number;
  /** The longest run of consecutive half-hours below target (local start, end). */
  longest_miss: { from: string; to: string; half_hours: number } | null;
}

export interface VocReport {
  kind: 'voc';
  week: string;
  queue: string | null;
  time_zone: string;
  from: string;
  to: string;
  generated_at: string;
  headline: { nps: Headline; csat_pct: Headline; fcr_survey: Headline; fcr_repeat: Headline & { pending: number } };
  trend: TrendWeek[];
  reasons: ReasonFigures[];
  surge_test: { method: string; baseline_weeks: number; alpha: number; correction: 'holm' };
  surges: Array<ReasonFigures & { voice: Voice | null }>;
  voice: Voice[];
  service_level: QueueServiceLevel[];
  notes: string[];
}
