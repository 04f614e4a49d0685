// OpenAPI (TypeBox) schemas of the report API; the shapes are those of types.ts.
import Type from 'typebox';
import { CountsSchema } from '../metrics/schemas.js';
import { SL_FORMULA_NAMES } from '../metrics/settings.js';

const Num = (description?: string) => Type.Union([Type.Number(), Type.Null()], description ? { description } : {});
const Interval = Type.Union([Type.Tuple([Type.Number(), Type.Number()]), Type.Null()], {
  description: '95 % interval',
});
const ServiceLevel = Type.Object({
  formula: Type.Enum([...SL_FORMULA_NAMES]),
  definition: Type.String(),
  value: Num('0–1'),
});

const HeadlineProps = {
  value: Num(),
  n: Type.Number({ description: 'answers (or eligible contacts) behind the value' }),
  ci95: Interval,
  previous: Num('last week'),
  previous_n: Type.Number(),
  change: Num('this week − last week'),
  p_value: Num('two-sided p of the week-over-week difference'),
  significant: Type.Boolean({ description: 'p < 0.05' }),
};
const Headline = Type.Object(HeadlineProps);

const Term = Type.Object({
  term: Type.String(),
  count: Type.Number(),
  z: Type.Number({ description: 'log-odds ratio z-score, informative Dirichlet prior' }),
});
const Comment = Type.Object({ text: Type.String(), nps: Num(), csat: Num() });
const Voice = Type.Object({
  reason: Type.String(),
  comments_n: Type.Number(),
  terms: Type.Array(Term),
  comments: Type.Array(Comment),
});

const ReasonProps = {
  reason: Type.String(),
  offered: Type.Number(),
  share: Num(),
  handled: Type.Number(),
  aht_s: Num(),
  previous_offered: Type.Number(),
  previous_aht_s: Num(),
  nps_n: Type.Number(),
  detractors: Type.Number(),
  detractor_share: Num(),
  detractor_share_ci95: Interval,
  expected: Num('expected contacts this week from the baseline'),
  ratio: Num('offered ÷ expected'),
  p_value: Num('P(X ≥ offered)'),
  p_adjusted: Num('Holm-adjusted over reasons'),
  surge: Type.Boolean(),
};

export const VocReportSchema = Type.Object({
  kind: Type.Literal('voc'),
  week: Type.String({ description: 'ISO week, e.g. 2026-W47' }),
  queue: Type.Union([Type.String(), Type.Null()]),
  time_zone: Type.String({
    description: "weeks are cut in the queue's time zone (a queue filter) or UTC (all queues)",
  }),
  from: Type.String(),
  to: Type.String(),
  generated_at: Type.String(),
  headline: Type.Object({
    nps: Headline,
    csat_pct: Headline,
    fcr_survey: Headline,
    fcr_repeat: Type.Object({ ...HeadlineProps, pending: Type.Number() }),
  }),
  trend: Type.Array(
    Type.Object({
      week: Type.String(),
      start: Type.String(),
      end: Type.String(),
      counts: CountsSchema,
      nps: Num(),
      csat_pct: Num(),
      fcr_survey: Num(),
      fcr_repeat: Num(),
      aht_s: Num(),
      service_level: ServiceLevel,
    }),
  ),
  reasons: Type.Array(Type.Object(ReasonProps)),
  surge_test: Type.Object({
    method: Type.String(),
    baseline_weeks: Type.Number(),
    alpha: Type.Number(),
    correction: Type.Literal('holm'),
  }),
  surges: Type.Array(Type.Object({ ...ReasonProps, voice: Type.Union([Voice, Type.Null()]) })),
  voice: Type.Array(Voice),
  service_level: Type.Array(
    Type.Object({
      queue: Type.String(),
      threshold_s: Type.Number(),
      sl_target: Type.Number(),
      service_level: ServiceLevel,
      offered: Type.Number(),
      met: Type.Union([Type.Boolean(), Type.Null()]),
      missed_days: Type.Array(Type.Object({ date: Type.String(), value: Type.Number(), offered: Type.Number() })),
      half_hours_with_contacts: Type.Number(),
      half_hours_below_target: Type.Number(),
      longest_miss: Type.Union([
        Type.Object({ from: Type.String(), to: Type.String(), half_hours: Type.Number() }),
        Type.Null(),
      ]),
    }),
  ),
  notes: Type.Array(Type.String()),
});

export const StoredReportSchema = Type.Object({
  week: Type.String(),
  queue: Type.Union([Type.String(), Type.Null()]),
  week_start: Type.String(),
  time_zone: Type.String(),
  created_at: Type.String(),
  trigger: Type.Enum(['schedule', 'api', 'cli']),
  links: Type.Object({ json: Type.String(), html: Type.String(), md: Type.String() }),
});
