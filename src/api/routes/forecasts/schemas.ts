// The forecast routes' request and answer schemas (TypeBox): they validate input, type the
// handlers and describe the routes in the OpenAPI document.
import Type, { type Static } from 'typebox';

export const Name = Type.String({ minLength: 1, maxLength: 128 });
export const RunBody = Type.Object(
  {
    queues: Type.Optional(
      Type.Array(Name, { maxItems: 1000, description: 'only these queues (default: all with history)' }),
    ),
    horizon_days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 366, description: 'days ahead; default 42 (6 weeks)' }),
    ),
  },
  { additionalProperties: false },
);
export const RunAnswer = Type.Object({
  run_id: Type.String(),
  status: Type.String({ description: 'started, or already_running (that run_id)' }),
});
export const RunStatus = Type.Object({
  run_id: Type.String(),
  status: Type.String({ description: 'running, ok or failed' }),
  started_at: Type.String(),
  error: Type.Optional(Type.String()),
  origin: Type.Optional(Type.String()),
  series: Type.Optional(
    Type.Array(
      Type.Object({
        queue: Type.String(),
        channel: Type.String(),
        model: Type.String(),
        status: Type.String(),
        error: Type.Optional(Type.String()),
      }),
    ),
  ),
});
export const ForecastQuery = Type.Object({
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      description: 'csv answers the rows as text/csv (also chosen by Accept: text/csv)',
    }),
  ),
  queue: Type.Optional(Name),
  channel: Type.Optional(Name),
  from: Type.Optional(
    Type.String({
      description:
        "ISO time with offset, YYYY-MM-DD (local midnight in the queue's time zone; UTC without a queue) or epoch ms",
    }),
  ),
  to: Type.Optional(Type.String()),
  run_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'default: the latest successful run' }),
  ),
});
export const ForecastRow = Type.Object({
  queue: Type.String(),
  channel: Type.String(),
  interval_start: Type.String(),
  volume: Type.Number({ description: 'after the edits in force (POST /v1/forecasts/adjustments)' }),
  volume_raw: Type.Number({ description: 'the statistical forecast before edits' }),
  aht: Type.Number(),
  lo80: Type.Number(),
  hi80: Type.Number(),
  lo95: Type.Number(),
  hi95: Type.Number(),
  model: Type.String(),
});
export const ForecastAnswer = Type.Object({
  run_id: Type.String(),
  origin: Type.String(),
  rows: Type.Array(ForecastRow),
  truncated: Type.Boolean(),
});
export const AccuracyQuery = Type.Object({ queue: Name, channel: Type.Optional(Name) });
export const AccuracyAnswer = Type.Object({
  queue: Type.String(),
  channel: Type.Union([Type.String(), Type.Null()]),
  actuals_until: Type.Union([Type.String(), Type.Null()]),
  buckets: Type.Array(
    Type.Object({
      lead_days: Type.Integer({ description: 'whole days from the run origin to the interval' }),
      intervals: Type.Integer(),
      runs: Type.Integer(),
      actual: Type.Number(),
      forecast: Type.Number(),
      abs_error: Type.Number(),
      wape: Type.Union([Type.Number(), Type.Null()], {
        description: 'Σ|forecast − actual| ÷ Σ actual; null when no actual contacts',
      }),
      forecast_edited: Type.Number({
        description: 'Σ forecast after the edits made before each half-hour started (and not removed by then)',
      }),
      abs_error_edited: Type.Number(),
      wape_edited: Type.Union([Type.Number(), Type.Null()]),
      edited_intervals: Type.Integer({ description: 'half-hours whose forecast an edit changed' }),
    }),
  ),
});

export const Time = Type.String({
  description: "ISO time with offset, YYYY-MM-DD (local midnight in the queue's time zone) or epoch ms",
});
export const AdjustmentBody = Type.Object(
  {
    queue: Name,
    channel: Type.Optional(Name),
    from: Time,
    to: Time,
    percent: Type.Optional(
      Type.Number({ minimum: -100, maximum: 1000, description: 'volume change in %: +20 = ×1.2 over the range' }),
    ),
    absolute: Type.Optional(
      Type.Number({
        minimum: -10_000,
        maximum: 10_000,
        description: 'contacts added to each half-hour (never below 0)',
      }),
    ),
    reason: Type.String({ minLength: 1, maxLength: 1000, description: 'why (a promotion, an outage, a launch …)' }),
  },
  { additionalProperties: false },
);
export const AdjustmentView = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  channel: Type.Union([Type.String(), Type.Null()], { description: 'null = every channel' }),
  from: Type.String(),
  to: Type.String(),
  kind: Type.String({ description: 'percent or absolute' }),
  value: Type.Number(),
  reason: Type.String(),
  created_at: Type.String(),
  created_by: Type.String(),
  deleted_at: Type.Union([Type.String(), Type.Null()]),
  deleted_by: Type.Union([Type.String(), Type.Null()]),
});
export const CalendarEntry = Type.Object({
  day: Type.String(),
  kind: Type.String({ description: 'closed, event, or none (removed)' }),
  multiplier: Type.Number(),
  reason: Type.String(),
  version: Type.Integer(),
  changed_at: Type.String(),
  changed_by: Type.String(),
  previous: Type.Union([
    Type.Object({ day: Type.String(), kind: Type.String(), multiplier: Type.Number(), reason: Type.String() }),
    Type.Null(),
  ]),
});
export const CalendarAnswer = Type.Object({ queue: Type.String(), days: Type.Array(CalendarEntry) });
export const QueueParam = Type.Object({ queue: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s/]+$' }) });

export const CalendarPutBody = Type.Object(
  {
    days: Type.Array(
      Type.Object(
        {
          day: Type.String({
            pattern: '^\\d{4}-\\d\\d-\\d\\d$',
            description: "local date in the queue's time zone",
          }),
          kind: Type.Union([Type.Literal('closed'), Type.Literal('event'), Type.Literal('none')]),
          multiplier: Type.Optional(
            Type.Number({ minimum: 0, maximum: 100, description: 'event days only; default 1' }),
          ),
          reason: Type.Optional(Type.String({ maxLength: 1000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
export const RunParams = Type.Object({ run_id: Type.String({ minLength: 1, maxLength: 64 }) });
export const AdjustmentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const AdjustmentsQuery = Type.Object({ queue: Name });
export const AdjustmentsAnswer = Type.Object({ queue: Type.String(), adjustments: Type.Array(AdjustmentView) });

export type RunBody = Static<typeof RunBody>;
export type RunAnswer = Static<typeof RunAnswer>;
export type RunStatus = Static<typeof RunStatus>;
export type ForecastQuery = Static<typeof ForecastQuery>;
export type ForecastAnswer = Static<typeof ForecastAnswer>;
export type AccuracyQuery = Static<typeof AccuracyQuery>;
export type AccuracyAnswer = Static<typeof AccuracyAnswer>;
export type AdjustmentBody = Static<typeof AdjustmentBody>;
export type AdjustmentView = Static<typeof AdjustmentView>;
export type AdjustmentsAnswer = Static<typeof AdjustmentsAnswer>;
export type CalendarAnswer = Static<typeof CalendarAnswer>;
export type CalendarPutBody = Static<typeof CalendarPutBody>;
