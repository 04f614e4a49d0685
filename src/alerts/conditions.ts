// Rules × figures → conditions (firing / clear / hold) for one queue at one evaluation.
import { ratios, type Counts } from '../metrics/figures.js';
import type { SettingsValues } from '../metrics/settings.js';
import type { Condition } from './episodes.js';
import type { RuleSet } from './rules.js';
import type { SurgeVerdict } from './surge.js';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export interface QueueFigures {
  queue: string;
  settings: SettingsValues;
  rules: RuleSet;
  slWindow: Counts;
  abandonWindow: Counts;
  waiting: number;
  longestWaitS: number | null;
  surges: Array<{ reason: string; verdict: SurgeVerdict; pThreshold: number }>;
}

export function conditionsFor(f: QueueFigures): Condition[] {
  const { rules, queue } = f;
  const out: Condition[] = [];
  const base = { queue, subject: '', clearAfter: rules.clear_after };

  if (rules.service_level.enabled) {
    const r = rules.service_level;
    const formula = f.settings.sl_formula;
    const sl = ratios(f.slWindow, formula).service_level.value;
    const target = r.target ?? f.settings.sl_target;
    const n = f.slWindow.offered - f.slWindow.short_abandons;
    const enough = sl !== null && n >= r.min_contacts;
    out.push({
      ...base,
      rule: 'service_level',
      state: !enough ? 'clear' : sl < target ? 'firing' : sl >= target + r.clear_margin ? 'clear' : 'hold',
      message: `${queue}: service level ${sl === null ? '—' : pct(sl)} over the last ${r.window_min} min is below the target ${pct(target)} (${f.slWindow.answered_within_t} of ${n} contacts answered within ${f.settings.threshold_s} s)`,
      value: {
        service_level: sl,
        target,
        formula,
        window_min: r.window_min,
        answered_within_t: f.slWindow.answered_within_t,
        offered: f.slWindow.offered,
        short_abandons: f.slWindow.short_abandons,
        answered: f.slWindow.answered,
        abandoned_after_t: f.slWindow.abandoned_after_t,
      },
    });
  }

  if (rules.waiting.enabled) {
    const r = rules.waiting;
    out.push({
      ...base,
      rule: 'waiting',
      state: f.waiting > r.above ? 'firing' : f.waiting <= r.clear_below ? 'clear' : 'hold',
      message: `${queue}: ${f.waiting} contacts waiting (alert above ${r.above})`,
      value: { waiting: f.waiting, above: r.above },
    });
  }

  if (rules.longest_wait.enabled) {
    const r = rules.longest_wait;
    const w = f.longestWaitS ?? 0;
    out.push({
      ...base,
      rule: 'longest_wait',
      state: w > r.above_s ? 'firing' : w <= r.clear_below_s ? 'clear' : 'hold',
      message: `${queue}: longest wait ${Math.round(w)} s (alert above ${r.above_s} s)`,
      value: { longest_wait_s: f.longestWaitS, above_s: r.above_s },
    });
  }

  if (rules.abandon_rate.enabled) {
    const r = rules.abandon_rate;
    const c = f.abandonWindow;
    const n = c.offered - c.short_abandons;
    const rate = n > 0 ? c.abandoned / n : null;
    const enough = rate !== null && n >= r.min_contacts;
    out.push({
      ...base,
      rule: 'abandon_rate',
      state: !enough ? 'clear' : rate > r.above ? 'firing' : rate <= r.clear_below ? 'clear' : 'hold',
      message: `${queue}: abandon rate ${rate === null ? '—' : pct(rate)} over the last ${r.window_min} min (alert above ${pct(r.above)}; ${c.abandoned} of ${n} contacts)`,
      value: {
        abandon_rate: rate,
        above: r.above,
        window_min: r.window_min,
        abandoned: c.abandoned,
        offered: c.offered,
        short_abandons: c.short_abandons,
      },
    });
  }

  if (rules.surge.enabled) {
    for (const s of f.surges) {
      const w = s.verdict.worst;
      const state = s.verdict.firing === true ? 'firing' : s.verdict.clear ? 'clear' : 'hold';
      const ratio = w?.ratio ?? null;
      out.push({
        ...base,
        rule: 'surge',
        subject: s.reason,
        state,
        message: w
          ? `${queue}: "${s.reason}" surging: ${w.observed} customers in the last ${w.window_min} min against ${w.expected.toFixed(1)} expected (${ratio === null ? '—' : `×${ratio.toFixed(1)}, up ${Math.round((ratio - 1) * 100)}%`})`
          : `${queue}: "${s.reason}" not enough data to judge`,
        value: {
          reason: s.reason,
          window_min: w?.window_min ?? null,
          observed: w?.observed ?? null,
          expected: w?.expected ?? null,
          ratio,
          p_value: w?.p_value ?? null,
          p_threshold: s.pThreshold,
          windows: s.verdict.windows.map((x) => ({
            window_min: x.window_min,
            observed: x.observed,
            expected: x.expected,
            ratio: x.ratio,
            p_value: x.p_value,
          })),
        },
      });
    }
  }
  return out;
}
