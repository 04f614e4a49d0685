import type { QueueMetrics } from './erlang-c.js';

export type { QueueMetrics };

/** Which queueing model sized the interval. */
export type StaffingModel = 'erlang-c' | 'erlang-a';

/** What one queue promises and the limits on meeting it. */
export interface StaffingTargets {
  /** Fraction of contacts to answer within `threshold`, e.g. 0.8. */
  serviceLevel: number;
  /** Service-level threshold in seconds, e.g. 20. */
  threshold: number;
  /** Optional ASA target in seconds (mean wait over all offered contacts). */
  asa?: number | null | undefined;
  /** Maximum agent occupancy, e.g. 0.85; default 1 (no cap). */
  maxOccupancy?: number | undefined;
  /** Upper bound on agents the search may use (headcount); default generous, derived from the load. */
  maxAgents?: number | undefined;
}

/** Workload of one interval. */
export interface Workload {
  /** Contacts offered in the interval. */
  volume: number;
  /** Interval length in seconds (1800 for half-hours). */
  intervalSeconds: number;
  /** Average handle time in seconds. */
  aht: number;
  /** Mean patience in seconds; given → Erlang A, null/undefined → Erlang C. */
  patience?: number | null | undefined;
  /** Contacts one agent handles at once (chat); default 1. */
  concurrency?: number | undefined;
}

export interface StaffingResult {
  /** Smallest agent count meeting every target (or the cap when unreachable). */
  agents: number;
  /** False when no agent count up to the cap meets the targets. */
  met: boolean;
  /** Why the targets were not met. */
  reason?: string;
  model: StaffingModel;
  /** Metrics at `agents`. */
  metrics: QueueMetrics;
}
