// Alert rules: built-in defaults a manager would expect, overridable per queue (stored in
// alert_rules, sql/050_alerts.sql). A queue's rules are the defaults deep-merged with its
// latest override, so an override names only what it changes.
import Type, { type Static } from 'typebox';
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '../metrics/settings.js';

const Enabled = Type.Boolean({ description: 'evaluate this rule' });
const Minutes = (description: string) => Type.Integer({ minimum: 5, maximum: 240, description });
const MinContacts = Type.Integer({
  minimum: 1,
  maximum: 100_000,
  description: 'no verdict (the episode keeps its state) below this many contacts in the window',
});

export const RuleSet = Type.Object(
  {
    service_level: Type.Object(
      {
        enabled: Enabled,
        window_min: Minutes('service level over the contacts queued in the last N minutes'),
        min_contacts: MinContacts,
        target: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
          description: "fire below this; null = the queue's own target (versioned settings)",
        }),
        clear_margin: Type.Number({ minimum: 0, maximum: 0.5, description: 'clears only at target + margin' }),
      },
      { additionalProperties: false },
    ),
    waiting: Type.Object(
      {
        enabled: Enabled,
        above: Type.Integer({
          minimum: 0,
          maximum: 1_000_000,
          description: 'fire when more contacts than this are waiting now',
        }),
        clear_below: Type.Integer({
          minimum: 0,
          maximum: 1_000_000,
          description: 'clears only when at most this many wait',
        }),
      },
      { additionalProperties: false },
    ),
    longest_wait: Type.Object(
      {
        enabled: Enabled,
        above_s: Type.Integer({
          minimum: 1,
          maximum: 86_400,
          description: 'fire when the longest current wait exceeds this (s)',
        }),
        clear_below_s: Type.Integer({ minimum: 0, maximum: 86_400, description: 'clears only at or below this (s)' }),
      },
      { additionalProperties: false },
    ),
    abandon_rate: Type.Object(
      {
        enabled: Enabled,
        window_min: Minutes('abandon rate (abandons ÷ (offered − short abandons)) over the last N minutes'),
        min_contacts: MinContacts,
        above: Type.Number({ minimum: 0, maximum: 1, description: 'fire above this rate (0–1)' }),
        clear_below: Type.Number({ minimum: 0, maximum: 1, description: 'clears only at or below this rate' }),
      },
      { additionalProperties: false },
    ),
    surge: Type.Object(
      {
        enabled: Enabled,
        windows_min: Type.Array(Type.Integer({ minimum: 5, maximum: 240 }), {
          minItems: 1,
          maxItems: 4,
          description: 'windows tested, each ending now',
        }),
        min_increase_pct: Type.Number({
          minimum: 10,
          maximum: 10_000,
          description: 'observed must be at least expected × (1 + this/100); 200 = "up 200 %"',
        }),
        min_count: Type.Integer({
          minimum: 1,
          maximum: 100_000,
          description: 'and at least this many contacts of the reason in the window',
        }),
        false_alarms_per_day: Type.Number({
          minimum: 1e-6,
          maximum: 10,
          description: 'Bonferroni budget: expected false alarms a day across every queue, reason and window',
        }),
        baseline_weeks: Type.Integer({
          minimum: 1,
          maximum: 12,
          description: 'same weekday and time in this many previous weeks',
        }),
        level_window_min: Type.Integer({
          minimum: 30,
          maximum: 1_440,
          description: "scales the baseline by the queue's level over this window (other reasons)",
        }),
        dispersion: Type.Number({
          minimum: 1,
          maximum: 1e9,
          description: 'negative-binomial size for variation beyond Poisson (larger = closer to Poisson)',
        }),
        clear_increase_pct: Type.Number({
          minimum: 0,
          maximum: 10_000,
          description: 'clears when the shortest window is below expected × (1 + this/100)',
        }),
      },
      { additionalProperties: false },
    ),
    forecast_deviation: Type.Object(
      {
        enabled: Enabled,
        min_expected: Type.Number({
          minimum: 1,
          maximum: 100_000,
          description: 'no verdict until the edited forecast of the local day so far reaches this many contacts',
        }),
        p_value: Type.Number({
          minimum: 1e-12,
          maximum: 0.5,
          description: 'fire when the tail probability of the count so far (either side) is below this',
        }),
        clear_p_value: Type.Number({
          minimum: 1e-12,
          maximum: 1,
          description: 'clears only when that tail probability is at least this',
        }),
        dispersion: Type.Number({
          minimum: 1,
          maximum: 1e9,
          description: 'negative-binomial size: forecast error beyond Poisson (relative sd at least 1/√size)',
        }),
      },
      { additionalProperties: false },
    ),
    staffing_gap: Type.Object(
      {
        enabled: Enabled,
        short_by: Type.Integer({
          minimum: 1,
          maximum: 10_000,
          description: 'fire when agents logged in are below agents required by at least this many',
        }),
        for_evaluations: Type.Integer({
          minimum: 1,
          maximum: 100,
          description: 'and have been for this many evaluations in a row',
        }),
        clear_short_by: Type.Integer({
          minimum: 0,
          maximum: 10_000,
          description: 'clears only when the shortfall is at most this many agents',
        }),
      },
      { additionalProperties: false },
    ),
    team_adherence: Type.Object(
      {
        enabled: Enabled,
        window_min: Minutes("the queue's rostered agents' adherence over the last N minutes"),
        below: Type.Number({ minimum: 0, maximum: 1, description: 'fire below this adherence (0–1)' }),
        clear_above: Type.Number({ minimum: 0, maximum: 1, description: 'clears only at or above this' }),
        min_scheduled_min: Type.Integer({
          minimum: 1,
          maximum: 100_000,
          description: 'no verdict below this many scheduled agent-minutes in the window',
        }),
      },
      { additionalProperties: false },
    ),
    clear_after: Type.Integer({
      minimum: 1,
      maximum: 100,
      description: 'an episode resolves after its clear condition held this many evaluations in a row',
    }),
  },
  { additionalProperties: false },
);
export type RuleSet = Static<typeof RuleSet>;
export type RuleName =
  | 'service_level'
  | 'waiting'
  | 'longest_wait'
  | 'abandon_rate'
  | 'surge'
  | 'forecast_deviation'
  | 'staffing_gap'
  | 'team_adherence';
export const RULE_NAMES: readonly RuleName[] = [
  'service_level',
  'waiting',
  'longest_wait',
  'abandon_rate',
  'surge',
  'forecast_deviation',
  'staffing_gap',
  'team_adherence',
];

export const DEFAULT_RULES: RuleSet = {
  service_level: { enabled: true, window_min: 30, min_contacts: 20, target: null, clear_margin: 0.02 },
  waiting: { enabled: true, above: 20, clear_below: 15 },
  longest_wait: { enabled: true, above_s: 300, clear_below_s: 240 },
  abandon_rate: { enabled: true, window_min: 30, min_contacts: 20, above: 0.15, clear_below: 0.12 },
  surge: {
    enabled: true,
    windows_min: [15, 30, 60],
    min_increase_pct: 100,
    min_count: 10,
    false_alarms_per_day: 0.05,
    baseline_weeks: 4,
    level_window_min: 240,
    dispersion: 200,
    clear_increase_pct: 50,
  },
  forecast_deviation: { enabled: true, min_expected: 30, p_value: 0.001, clear_p_value: 0.05, dispersion: 200 },
  staffing_gap: { enabled: true, short_by: 2, for_evaluations: 3, clear_short_by: 0 },
  team_adherence: { enabled: true, window_min: 30, below: 0.85, clear_above: 0.9, min_scheduled_min: 30 },
  clear_after: 3,
};

/** A partial rule set: any rule, any of its fields. */
export type RulePatch = { [K in keyof RuleSet]?: RuleSet[K] extends object ? Partial<RuleSet[K]> : RuleSet[K] };

export function mergeRules(base: RuleSet, patch: RulePatch): RuleSet {
  const out = structuredClone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      current !== null && typeof current === 'object' && !Array.isArray(current)
        ? { ...(current as object), ...(value as object) }
        : value;
  }
  return out as RuleSet;
}

export interface StoredRules {
  queue: string;
  rules: RuleSet;
  override: RulePatch;
  updated_at: string | null;
  updated_by: string | null;
}

/** Each queue's rules in force (defaults merged with its latest override). */
export async function loadRules(client: ClickHouseClient, queues: string[]): Promise<Map<string, StoredRules>> {
  const rows = await (
    await client.query({
      query:
        'SELECT queue, updated_at, updated_by, rules FROM alert_rules FINAL WHERE has({queues:Array(String)}, queue)',
      query_params: { queues },
      format: 'JSONEachRow',
    })
  ).json<{ queue: string; updated_at: string; updated_by: string; rules: string }>();
  const out = new Map<string, StoredRules>();
  for (const queue of queues)
    out.set(queue, { queue, rules: DEFAULT_RULES, override: {}, updated_at: null, updated_by: null });
  for (const r of rows) {
    const override = JSON.parse(r.rules) as RulePatch;
    out.set(r.queue, {
      queue: r.queue,
      rules: mergeRules(DEFAULT_RULES, override),
      override,
      updated_at: `${r.updated_at.replace(' ', 'T')}Z`,
      updated_by: r.updated_by,
    });
  }
  return out;
}

/** Records a queue's override (the previous override merged with `patch`). */
export async function saveRules(
  client: ClickHouseClient,
  queue: string,
  override: RulePatch,
  who: string,
  now: number,
): Promise<void> {
  await client.insert({
    table: 'alert_rules',
    values: [{ queue, updated_at: chTime(now), updated_by: who, rules: JSON.stringify(override) }],
    format: 'JSONEachRow',
  });
}
