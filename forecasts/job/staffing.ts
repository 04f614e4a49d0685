// Requirements per half-hour from one run's forecast, with the queue's settings and staffing
// inputs: Erlang A where patience is known (the inputs' patience_s, else estimated from the
// queue's own abandons) and Erlang C otherwise, the occupancy cap, contacts per agent at once
// of the channel, and shrinkage per half-hour (by local half-hour of the week where given).
// Where Erlang A sizes, Erlang C's answer is kept beside it.
import {
  computeRequirementColumns,
  concurrencyOf,
  estimatePatience,
  grossUp,
  patienceFor,
  shrinkageAt,
  type QueueSettings,
  type RequirementColumns,
} from '../../src/staffing/index.js';
import type { StaffingSettings } from './settings.js';

export interface StaffingInput {
  intervalStart: Float64Array;
  volume: Float64Array;
  aht: Float64Array;
  abandons: number;
  waitSeconds: number;
  settings: StaffingSettings;
  /** Channel of the series (for concurrency); default voice. */
  channel?: string;
  /** Local half-hour of the week (Monday 00:00 = 0) of each interval, for shrinkage by half-hour. */
  slotOfWeek?: Int16Array;
}

export interface StaffingOutput {
  columns: RequirementColumns;
  patienceS: number | null;
  concurrency: number;
  /** Shrinkage applied per interval. */
  shrinkage: Float64Array;
  /** Agents Erlang C needs per interval (= required where Erlang C sized). */
  erlangCRequired: Int32Array;
}

export function requirementsFor(input: StaffingInput): StaffingOutput {
  const inputs = input.settings.inputs;
  const { patienceSeconds } = estimatePatience({ abandons: input.abandons, totalWaitSeconds: input.waitSeconds });
  const patience = patienceFor(inputs, patienceSeconds);
  const concurrency = concurrencyOf(inputs, input.channel ?? 'voice');
  // An interval with volume but no known handle time carries no work to size.
  const volume = Float64Array.from(input.volume, (v, i) => (input.aht[i]! > 0 ? v : 0));
  const forecast = { intervalStart: input.intervalStart, volume, aht: input.aht };
  const base: QueueSettings = {
    serviceLevel: input.settings.slTarget,
    threshold: input.settings.thresholdS,
    maxOccupancy: inputs.max_occupancy,
    shrinkage: 0,
    ...(concurrency !== 1 ? { concurrency } : {}),
  };
  const columns = computeRequirementColumns(forecast, { ...base, patience });
  const shrinkage = Float64Array.from(input.intervalStart, (_, i) =>
    input.slotOfWeek ? shrinkageAt(inputs, input.slotOfWeek[i]!) : inputs.shrinkage,
  );
  for (let i = 0; i < columns.required.length; i++)
    columns.scheduledNeeded[i] = grossUp(columns.required[i]!, shrinkage[i]!);
  const erlangCRequired =
    patience === null ? columns.required.slice() : computeRequirementColumns(forecast, base).required;
  return { columns, patienceS: patience, concurrency, shrinkage, erlangCRequired };
}
