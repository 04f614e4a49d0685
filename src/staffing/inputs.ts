// Staffing inputs of a queue (versioned per queue, sql/070_staffing_inputs.sql): shrinkage
// (optionally per half-hour of the local week), occupancy cap, contacts per agent at once per
// channel, and patience for Erlang A. Pure: the schema, the defaults and how a half-hour's
// values are resolved; the job and the API do the I/O.
import Type, { type Static } from 'typebox';

export const HALF_HOURS_PER_WEEK = 336;

export const StaffingInputs = Type.Object(
  {
    shrinkage: Type.Number({
      minimum: 0,
      exclusiveMaximum: 1,
      description:
        'share of paid time agents are not available (breaks, training, absence); scheduled = required ÷ (1 − shrinkage)',
    }),
    shrinkage_by_half_hour: Type.Union(
      [Type.Array(Type.Number({ minimum: 0, exclusiveMaximum: 1 }), { minItems: 336, maxItems: 336 }), Type.Null()],
      {
        description:
          'optional shrinkage per local half-hour of the week, 336 values from Monday 00:00; overrides `shrinkage` where given',
      },
    ),
    max_occupancy: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'occupancy cap' }),
    concurrency: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Integer({ minimum: 1, maximum: 50 }), {
      description: 'contacts one agent handles at once, per channel (e.g. {"chat": 2}); absent channels 1',
    }),
    patience_s: Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 86_400 }), Type.Null()], {
      description: "mean patience for Erlang A; null = estimated from the queue's own abandons",
    }),
    erlang_a: Type.Boolean({
      description: 'size with Erlang A where patience is known (given or observed); false = always Erlang C',
    }),
  },
  { additionalProperties: false },
);
export type StaffingInputs = Static<typeof StaffingInputs>;

export const DEFAULT_INPUTS: StaffingInputs = {
  shrinkage: 0.3,
  shrinkage_by_half_hour: null,
  max_occupancy: 0.85,
  concurrency: {},
  patience_s: null,
  erlang_a: true,
};

export const StaffingInputsVersion = Type.Object({
  queue: Type.String(),
  version: Type.Integer(),
  effective_from: Type.String({ description: 'ISO instant from which forecast runs use this version' }),
  changed_at: Type.Union([Type.String(), Type.Null()]),
  changed_by: Type.Union([Type.String(), Type.Null()]),
  inputs: StaffingInputs,
  previous: Type.Union([StaffingInputs, Type.Null()]),
});
export type StaffingInputsVersion = Static<typeof StaffingInputsVersion>;

export function defaultInputsVersion(queue: string): StaffingInputsVersion {
  return {
    queue,
    version: 0,
    effective_from: new Date(0).toISOString(),
    changed_at: null,
    changed_by: null,
    inputs: DEFAULT_INPUTS,
    previous: null,
  };
}

/** The version in force at `ms` (versions by effective time, defaults first). */
export function inputsAt(versions: StaffingInputsVersion[], ms: number): StaffingInputsVersion {
  let found = versions[0]!;
  for (const v of versions) if (Date.parse(v.effective_from) <= ms) found = v;
  return found;
}

/** Contacts per agent at once on `channel`. */
export const concurrencyOf = (inputs: StaffingInputs, channel: string): number => inputs.concurrency[channel] ?? 1;

/** Shrinkage of the local half-hour of the week `slotOfWeek` (Monday 00:00 = 0). */
export function shrinkageAt(inputs: StaffingInputs, slotOfWeek: number): number {
  return inputs.shrinkage_by_half_hour?.[slotOfWeek] ?? inputs.shrinkage;
}

/** Patience used for sizing: given, else observed; null → Erlang C. */
export function patienceFor(inputs: StaffingInputs, observed: number | null): number | null {
  if (!inputs.erlang_a) return null;
  return inputs.patience_s ?? observed;
}
