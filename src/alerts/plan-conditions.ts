// The planner's-loop rules × figures → conditions for one queue at one evaluation: volume against
// the edited forecast, the live staffing gap, and the team's adherence to the published roster.
import type { StaffingGap } from '../metrics/staffing-gap.js';
import type { DeviationVerdict } from './deviation.js';
import type { Condition } from './episodes.js';
import type { RuleSet } from './rules.js';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The team's adherence over the rule's window (scheduled and in-adherence agent-minutes). */
export interface WindowAdherence {
  window_min: number;
  scheduled_min: number;
  in_adherence_min: number;
  agents: number;
}

export interface PlanFigures {
  queue: string;
  rules: RuleSet;
  /** Today so far against the edited forecast; null without a forecast for today. */
  deviation: DeviationVerdict | null;
  /** The current half-hour's gap; null without a forecast run covering it. */
  gap: StaffingGap | null;
  /** Null when the rule is off or the queue has no roster for the window. */
  adherence: WindowAdherence | null;
}

export function planConditions(f: PlanFigures): Condition[] {
  const { rules, queue } = f;
  const out: Condition[] = [];
  const base = { queue, clearAfter: rules.clear_after };

  const d = f.deviation;
  if (rules.forecast_deviation.enabled && d) {
    // One subject per side, so volume that swings from above to below is two episodes, each named right.
    for (const side of ['above', 'below'] as const) {
      const mine = d.direction === side;
      out.push({
        ...base,
        rule: 'forecast_deviation',
        subject: side,
        state: mine && d.firing === true ? 'firing' : !mine || d.clear ? 'clear' : 'hold',
        message: `${queue}: ${d.observed} contacts so far today against ${d.expected.toFixed(1)} forecast (${d.ratio === null ? '—' : `×${d.ratio.toFixed(2)}`}, ${side} forecast, p = ${d.p_value.toExponential(2)})`,
        value: {
          observed: d.observed,
          expected: d.expected,
          ratio: d.ratio,
          p_value: d.p_value,
          p_threshold: rules.forecast_deviation.p_value,
          direction: d.direction,
        },
      });
    }
  }

  const g = f.gap;
  if (rules.staffing_gap.enabled && g) {
    const r = rules.staffing_gap;
    const short = g.agents_required - g.agents_logged_in;
    out.push({
      ...base,
      rule: 'staffing_gap',
      subject: '',
      state: short >= r.short_by ? 'firing' : short <= r.clear_short_by ? 'clear' : 'hold',
      openAfter: r.for_evaluations,
      message: `${queue}: ${g.agents_logged_in} agents logged in against ${g.agents_required} required for the half-hour from ${g.interval_start} (short by ${short}; projected service level ${g.projected_service_level === null ? '—' : pct(g.projected_service_level)})`,
      value: {
        interval_start: g.interval_start,
        agents_required: g.agents_required,
        agents_logged_in: g.agents_logged_in,
        agents_available: g.agents_available,
        short_by: short,
        reforecast_volume: g.reforecast_volume,
        projected_service_level: g.projected_service_level,
      },
    });
  }

  const a = f.adherence;
  if (rules.team_adherence.enabled && a) {
    const r = rules.team_adherence;
    const value = a.scheduled_min > 0 ? a.in_adherence_min / a.scheduled_min : null;
    const enough = value !== null && a.scheduled_min >= r.min_scheduled_min;
    out.push({
      ...base,
      rule: 'team_adherence',
      subject: '',
      state: !enough ? 'clear' : value < r.below ? 'firing' : value >= r.clear_above ? 'clear' : 'hold',
      message: `${queue}: team adherence ${value === null ? '—' : pct(value)} over the last ${a.window_min} min (alert below ${pct(r.below)}; ${a.in_adherence_min} of ${a.scheduled_min} scheduled agent-minutes)`,
      value: { adherence: value, below: r.below, ...a },
    });
  }
  return out;
}
