import type { DayName } from './time.js';

/** A break inside a shift: placed on the half-hour grid somewhere in its window. */
export interface BreakRule {
  /** Length in minutes, a multiple of 30. */
  durationMinutes: number;
  /** Earliest start of the break, minutes after the shift starts. */
  earliestAfterMinutes: number;
  /** Latest start of the break, minutes after the shift starts (default = earliest: fixed). */
  latestAfterMinutes?: number;
  /** Paid breaks still cost; default false (unpaid). */
  paid?: boolean;
}

/** One allowed kind of shift; it may start at any grid time in its start window. */
export interface ShiftPattern {
  name: string;
  /** Shift length in hours including breaks, a multiple of 0.5 (4, 6, 8, 10 …). */
  lengthHours: number;
  /** Earliest start "HH:MM"; default: opening time. */
  earliestStart?: string;
  /** Latest start "HH:MM"; default: closing time − length (shift inside opening hours). */
  latestStart?: string;
  /** Days it may start on; default every day. */
  days?: DayName[];
  /** Cost per paid hour. */
  costPerHour: number;
  breaks?: BreakRule[];
  /** Minimum agents starting this pattern on each of its days (all start times together). */
  min?: number;
  /** Maximum agents starting this pattern on each of its days. */
  max?: number;
}

export interface PatternsConfig {
  /** Opening hours; shifts start inside them. Default 00:00–24:00. "end" may be "24:00". */
  openingHours?: { start: string; end: string };
  patterns: ShiftPattern[];
  /** Headcount caps: agents starting a shift per day / shifts per week. */
  headcount?: { maxPerDay?: number; maxPerWeek?: number };
  /**
   * Cost per missing agent per half-hour. When set, coverage may fall short of the requirement
   * (e.g. under a headcount cap) and each missing agent-half-hour costs this much.
   */
  understaffingPenalty?: number;
  /** Solver limits: wall time in seconds (default 30) and relative MIP gap (default 0.0001). */
  timeLimitSeconds?: number;
  mipRelGap?: number;
}

/** Requirement on a half-hour grid starting at midnight of `startDate`. */
export interface RequirementGrid {
  /** Epoch minutes of 00:00 on the first day. */
  originMinutes: number;
  days: number;
  /** Agents required per half-hour, length days × 48. */
  required: Int32Array;
  /** 1 where the queue is closed (length days × 48): no shift works in a closed half-hour. */
  closed?: Uint8Array;
}

/** One concrete shift: pattern × day × start × break placement — one integer variable. */
export interface ShiftVariant {
  pattern: number;
  day: number;
  /** Start slot within the day. */
  start: number;
  lengthSlots: number;
  /** Break start slots, relative to the shift start. */
  breakOffsets: number[];
  breakSlots: number[];
  cost: number;
}

export interface ShiftAssignment {
  pattern: string;
  date: string;
  day: DayName;
  start: string;
  end: string;
  breaks: string[];
  agents: number;
  costPerAgent: number;
}

export interface CoverageRow {
  interval_start: string;
  required: number;
  scheduled: number;
  over: number;
  under: number;
}

export interface SchedulePlan {
  status: string;
  /** True when HiGHS proved optimality (within mipRelGap). */
  optimal: boolean;
  /** Relative MIP gap reported by HiGHS (0 when proven optimal at zero gap). */
  gap: number | null;
  objective: number;
  shiftCost: number;
  understaffingCost: number;
  agentsStarted: number;
  overstaffedHalfHours: number;
  understaffedHalfHours: number;
  variables: number;
  constraints: number;
  solveSeconds: number;
  shifts: ShiftAssignment[];
  coverage: CoverageRow[];
}
