// TypeBox schemas of the staffing and schedule routes: every input and every answer.
import Type, { type Static } from 'typebox';
import { StaffingInputs, StaffingInputsVersion } from '../../../staffing/inputs.js';

export const Name = Type.String({ minLength: 1, maxLength: 128 });
export const Time = Type.String({
  description: "ISO time with offset, YYYY-MM-DD (local midnight in the queue's time zone) or epoch ms",
});
export const ReqRow = Type.Object({
  channel: Type.String(),
  interval_start: Type.String({ description: 'UTC start of the half-hour' }),
  local_start: Type.String({ description: "the same instant in the queue's time zone, with its offset" }),
  volume: Type.Number({ description: 'forecast volume after the edits in force (POST /v1/forecasts/adjustments)' }),
  volume_raw: Type.Number({ description: 'the statistical forecast before edits' }),
  aht: Type.Number(),
  required: Type.Integer(),
  scheduled_needed: Type.Integer(),
  expected_sl: Type.Number(),
  asa: Type.Number(),
  occupancy: Type.Number(),
  abandon: Type.Number(),
  target_met: Type.Boolean(),
  model: Type.String(),
  shrinkage: Type.Number({
    description: 'shrinkage of this half-hour: scheduled_needed = ⌈required ÷ (1 − shrinkage)⌉',
  }),
  erlang_c_required: Type.Integer({
    description: 'agents Erlang C needs (equals required where Erlang C sized; 0 for runs that did not record it)',
  }),
});
export const ChannelSettings = Type.Object({
  channel: Type.String(),
  model: Type.String({ description: "erlang-a (patience from the queue's abandons) or erlang-c" }),
  threshold_s: Type.Number(),
  sl_target: Type.Number(),
  max_occupancy: Type.Number(),
  shrinkage: Type.Number(),
  patience_s: Type.Union([Type.Number(), Type.Null()]),
  concurrency: Type.Number({ description: 'contacts one agent handles at once' }),
});
export const Format = Type.Optional(
  Type.Union([Type.Literal('json'), Type.Literal('csv')], {
    description: 'csv answers the rows as text/csv (also chosen by Accept: text/csv)',
  }),
);
export const StaffingQuery = Type.Object({
  format: Format,
  queue: Name,
  channel: Type.Optional(Name),
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  run_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export const StaffingAnswer = Type.Object({
  run_id: Type.String(),
  queue: Type.String(),
  time_zone: Type.String({ description: "the queue's IANA time zone: dates and days are cut in it" }),
  settings: Type.Array(ChannelSettings),
  rows: Type.Array(ReqRow),
});

export const WhatIfBody = Type.Object(
  {
    queue: Name,
    channel: Type.Optional(Name),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    volume_pct: Type.Optional(
      Type.Number({ minimum: -100, maximum: 1000, description: 'volume change in %, +10 = ×1.1' }),
    ),
    aht_pct: Type.Optional(Type.Number({ exclusiveMinimum: -100, maximum: 1000, description: 'AHT change in %' })),
    aht_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'replace every AHT' })),
    sl_target: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    threshold_s: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400 })),
    asa_s: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'ASA target' })),
    shrinkage: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
    max_occupancy: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
const deprecated = (name: string) => ({ deprecated: true, description: `deprecated: ${name}` });
export const Summary = Type.Object({
  required_hours: Type.Number({ description: 'agent-hours required' }),
  scheduled_hours: Type.Number({ description: 'agent-hours scheduled (after shrinkage)' }),
  peak_required: Type.Integer(),
  service_level: Type.Number({ description: 'volume-weighted expected service level, 0–1' }),
  unmet_intervals: Type.Integer(),
  requiredHours: Type.Number(deprecated('required_hours')),
  scheduledHours: Type.Number(deprecated('scheduled_hours')),
  peakRequired: Type.Integer(deprecated('peak_required')),
  serviceLevel: Type.Number(deprecated('service_level')),
  unmetIntervals: Type.Integer(deprecated('unmet_intervals')),
});
const Delta = Type.Object({
  required_hours: Type.Number(),
  scheduled_hours: Type.Number(),
  service_level: Type.Number(),
  requiredHours: Type.Number(deprecated('required_hours')),
  scheduledHours: Type.Number(deprecated('scheduled_hours')),
  serviceLevel: Type.Number(deprecated('service_level')),
});
export const WhatIfAnswer = Type.Object({
  run_id: Type.String(),
  queue: Type.String(),
  channels: Type.Array(
    Type.Object({
      channel: Type.String(),
      baseline: Summary,
      scenario: Summary,
      delta: Delta,
      rows: Type.Array(
        Type.Object({
          interval_start: Type.String(),
          volume: Type.Number(),
          aht: Type.Number(),
          required: Type.Integer(),
          scheduled_needed: Type.Integer(),
          expected_sl: Type.Number(),
          baseline_required: Type.Integer(),
        }),
      ),
    }),
  ),
});

export const IntradayQuery = Type.Object({ queue: Name, channel: Type.Optional(Name) });
export const IntradayAnswer = Type.Object({
  run_id: Type.String(),
  queue: Type.String(),
  day: Type.String({ description: "today's local date in the queue's time zone" }),
  time_zone: Type.String(),
  day_start: Type.String({ description: 'UTC instant of local midnight' }),
  day_half_hours: Type.Integer({ description: '48, or 46 / 50 on a DST change' }),
  as_of: Type.String(),
  channels: Type.Array(
    Type.Object({
      channel: Type.String(),
      completed_intervals: Type.Integer(),
      volume_ratio: Type.Union([Type.Number(), Type.Null()]),
      aht_ratio: Type.Union([Type.Number(), Type.Null()]),
      weight: Type.Number(),
      volume_factor: Type.Number(),
      aht_factor: Type.Number(),
      remaining: Type.Array(
        Type.Object({
          interval_start: Type.String(),
          volume: Type.Number(),
          aht: Type.Number(),
          required: Type.Integer(),
          scheduled_needed: Type.Integer(),
          expected_sl: Type.Number(),
          planned_required: Type.Integer(),
        }),
      ),
    }),
  ),
});

export const Week = Type.String({
  pattern: '^\\d{4}-\\d\\d-\\d\\d$',
  description: "Monday starting the week, YYYY-MM-DD (local days in the queue's time zone)",
});
export const ScheduleQuery = Type.Object({ queue: Name, week: Week, format: Format });
export const SolveBody = Type.Object(
  {
    queue: Name,
    week: Week,
    channel: Type.Optional(Name),
    run_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    patterns: Type.Object({}, { additionalProperties: true, description: 'patterns.json of docs/staffing.md' }),
  },
  { additionalProperties: false },
);
export const Plan = Type.Object(
  {},
  { additionalProperties: true, description: 'the plan JSON of docs/staffing.md (status, cost, shifts, coverage …)' },
);
export const PlanAnswer = Type.Object({
  queue: Type.String(),
  week: Type.String(),
  time_zone: Type.String({ description: 'shift times and coverage are local wall-clock times in this zone' }),
  channel: Type.Union([Type.String(), Type.Null()]),
  run_id: Type.String(),
  solved_at: Type.String(),
  requirement: Type.String(),
  plan: Plan,
});

export type StaffingQuery = Static<typeof StaffingQuery>;
export type WhatIfBody = Static<typeof WhatIfBody>;
export type IntradayQuery = Static<typeof IntradayQuery>;
export type ScheduleQuery = Static<typeof ScheduleQuery>;
export type SolveBody = Static<typeof SolveBody>;
export type StaffingAnswer = Static<typeof StaffingAnswer>;
export type WhatIfAnswer = Static<typeof WhatIfAnswer>;
export type IntradayAnswer = Static<typeof IntradayAnswer>;
export type PlanAnswer = Static<typeof PlanAnswer>;

export const InputsParams = Type.Object({
  queue: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s/]+$' }),
});
export const InputsPutBody = Type.Object(
  {
    ...Type.Partial(StaffingInputs).properties,
    effective_from: Type.Optional(
      Type.String({ description: 'ISO-8601 instant from which forecast runs use the new values; default now' }),
    ),
  },
  { additionalProperties: false },
);
export const InputsAnswer = Type.Object({
  queue: Type.String(),
  current: StaffingInputsVersion,
  versions: Type.Array(StaffingInputsVersion),
});
export type InputsPutBody = Static<typeof InputsPutBody>;
export type InputsAnswer = Static<typeof InputsAnswer>;
