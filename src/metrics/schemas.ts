// Response schemas of the metrics API (OpenAPI at /docs); types live beside the code that builds them.
import Type from 'typebox';
import { COUNT_FIELDS } from './figures.js';
import { SL_FORMULA_NAMES } from './settings.js';
import { AGENT_STATES } from '../events/index.js';

const Ratio = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

export const CountsSchema = Type.Object(
  Object.fromEntries(COUNT_FIELDS.map((f) => [f, Type.Number()])) as Record<
    (typeof COUNT_FIELDS)[number],
    ReturnType<typeof Type.Number>
  >,
  { description: 'additive counts and second totals; every ratio can be re-derived from them' },
);

export const MetricsRowSchema = Type.Object({
  start: Type.String({ description: 'interval start (UTC instant)' }),
  end: Type.String(),
  start_local: Type.String({ description: 'interval start in the queue time zone, with its offset' }),
  settings_versions: Type.Array(Type.Integer(), {
    description: 'settings versions the contacts of this interval were measured with',
  }),
  threshold_s: Type.Number(),
  sl_target: Type.Number(),
  counts: CountsSchema,
  service_level: Type.Object({
    formula: Type.Enum([...SL_FORMULA_NAMES]),
    definition: Type.String(),
    value: Ratio('0–1'),
  }),
  service_level_by_formula: Type.Object(
    Object.fromEntries(SL_FORMULA_NAMES.map((f) => [f, Ratio('0–1')])) as Record<
      (typeof SL_FORMULA_NAMES)[number],
      ReturnType<typeof Ratio>
    >,
  ),
  asa_s: Ratio('wait of answered ÷ answered'),
  aht_s: Ratio('(talk + hold + wrap) ÷ handled'),
  avg_talk_s: Ratio('talk ÷ handled'),
  avg_hold_s: Ratio('hold ÷ handled'),
  avg_wrap_s: Ratio('wrap ÷ handled'),
  abandon_rate: Ratio('abandoned ÷ (offered − short abandons), 0–1'),
  transfer_rate: Ratio('transferred ÷ handled, 0–1'),
  nps: Ratio('% promoters − % detractors, −100…100'),
  csat: Ratio('4–5 answers ÷ CSAT answers, 0–1'),
  csat_pct: Ratio('deprecated: csat × 100 (0–100); use csat'),
  fcr_survey: Ratio('fcr: true ÷ fcr answers, 0–1'),
  fcr_repeat: Ratio('handled contacts without a repeat in the window ÷ handled contacts whose window has closed, 0–1'),
  occupancy: Ratio('busy ÷ (busy + available) agent time, 0–1'),
});

export const MetricsResultSchema = Type.Object({
  queue: Type.Union([Type.String(), Type.Null()]),
  channel: Type.Union([Type.String(), Type.Null()]),
  interval: Type.String(),
  time_zone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  rows: Type.Array(MetricsRowSchema),
  total: MetricsRowSchema,
});

export const SnapshotSchema = Type.Object({
  queue: Type.String(),
  generated_at: Type.String(),
  time_zone: Type.String(),
  settings_version: Type.Integer(),
  waiting_now: Type.Integer(),
  longest_wait_s: Ratio('now − queued time of the longest-waiting contact'),
  agents: Type.Object(
    Object.fromEntries(AGENT_STATES.map((s) => [s, Type.Integer()])) as Record<
      (typeof AGENT_STATES)[number],
      ReturnType<typeof Type.Integer>
    >,
  ),
  today: MetricsRowSchema,
  half_hours: Type.Array(
    Type.Object({
      start: Type.String(),
      start_local: Type.String(),
      offered: Type.Integer(),
      service_level: Ratio('0–1'),
      forecast_offered: Ratio('forecast volume, latest run'),
    }),
    { description: 'every half-hour of the local day; later ones have offered 0 and only the forecast' },
  ),
  below_target: Type.Boolean(),
  staffing: Type.Optional(
    Type.Object(
      {
        interval_start: Type.String({ description: 'UTC start of the half-hour in progress' }),
        forecast_volume: Type.Number({ description: 'latest run, all channels' }),
        reforecast_volume: Type.Number({ description: "forecast × today's damped actual ÷ forecast so far" }),
        volume_factor: Type.Number(),
        agents_required: Type.Integer({ description: 'for the reforecast volume, Σ over channels' }),
        agents_logged_in: Type.Integer({ description: 'available + on contact + wrap-up now' }),
        agents_available: Type.Integer(),
        gap: Type.Integer({ description: 'agents_logged_in − agents_required; negative = short' }),
        projected_service_level: Ratio('service level of the reforecast volume with the agents logged in'),
        sl_target: Type.Number(),
      },
      { description: 'the live staffing gap of the current half-hour; absent without a forecast run covering it' },
    ),
  ),
});

export const RealtimeSchema = Type.Object({ generated_at: Type.String(), queues: Type.Array(SnapshotSchema) });
