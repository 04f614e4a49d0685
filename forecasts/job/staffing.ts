// Requirements per half-hour from one run's forecast, with the queue's settings and its own
// patience (Erlang A where the history shows abandonment, Erlang C otherwise).
import { computeRequirementColumns, estimatePatience, type RequirementColumns } from '../../src/staffing/index.js';
import type { StaffingSettings } from './settings.js';

export interface StaffingInput {
  intervalStart: Float64Array;
  volume: Float64Array;
  aht: Float64Array;
  abandons: number;
  waitSeconds: number;
  settings: StaffingSettings;
}

export interface StaffingOutput {
  columns: RequirementColumns;
  patienceS: number | null;
}

export function requirementsFor(input: StaffingInput): StaffingOutput {
  const { patienceSeconds } = estimatePatience({ abandons: input.abandons, totalWaitSeconds: input.waitSeconds });
  // An interval with volume but no known handle time carries no work to size.
  const volume = Float64Array.from(input.volume, (v, i) => (input.aht[i]! > 0 ? v : 0));
  const columns = computeRequirementColumns(
    { intervalStart: input.intervalStart, volume, aht: input.aht },
    {
      serviceLevel: input.settings.slTarget,
      threshold: input.settings.thresholdS,
      maxOccupancy: input.settings.maxOccupancy,
      shrinkage: input.settings.shrinkage,
      patience: patienceSeconds,
    },
  );
  return { columns, patienceS: patienceSeconds };
}
