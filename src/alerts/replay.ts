// Drives an evaluator over a stretch of stored history at its period (for tests, benchmarks
// and `callcast alerts replay`): every change with the instant it happened.
import type { AlertEvaluator, AlertChange, Evaluation } from './evaluator.js';

export interface ReplayedChange extends AlertChange {
  at: number;
}

export async function replay(
  evaluator: AlertEvaluator,
  from: number,
  to: number,
  periodMs = evaluator.periodMs,
  onStep?: (step: Evaluation) => void,
): Promise<ReplayedChange[]> {
  const changes: ReplayedChange[] = [];
  for (let t = from; t <= to; t += periodMs) {
    const step = await evaluator.evaluate(t);
    onStep?.(step);
    for (const episode of step.opened) changes.push({ at: t, change: 'opened', episode: { ...episode } });
    for (const episode of step.resolved) changes.push({ at: t, change: 'resolved', episode: { ...episode } });
  }
  return changes;
}
