// Intraday reforecast: scale the rest of today's forecast by how actuals have run so far.
//
// Damping: the raw ratio R = Σ actual ÷ Σ forecast over the completed intervals is noisy early in
// the day, so only a share w of the deviation is applied:
//   factor = 1 + w·(R − 1),   w = k / (k + K)
// where k is the number of completed intervals that had forecast volume and K (default 4, i.e.
// two hours of half-hours) is the number of intervals after which half the deviation is trusted.
// R is clamped to [minRatio, maxRatio] (default [0.5, 2]) so one freak interval cannot double
// the day. AHT is treated the same way with its own ratio (volume-weighted actual AHT over
// forecast AHT) when actual AHTs are supplied.
import { computeRequirements, type QueueSettings, type RequirementRow } from './requirements.js';

export interface IntradayDamping {
  /** Completed intervals after which half of the observed deviation is applied; default 4. */
  halfWeightIntervals?: number;
  minRatio?: number;
  maxRatio?: number;
}

export interface IntradayInput<T> {
  /** Today's forecast, one row per interval, in time order. */
  forecast: ReadonlyArray<{ interval_start: T; volume: number; aht: number }>;
  /** Completed intervals so far, matched to the forecast by interval_start. */
  actuals: ReadonlyArray<{ interval_start: T; volume: number; aht?: number | null }>;
  settings: QueueSettings;
  damping?: IntradayDamping;
}

export interface IntradayResult<T> {
  /** Σ actual ÷ Σ forecast volume so far (before clamping and damping); null without evidence. */
  volumeRatio: number | null;
  ahtRatio: number | null;
  /** Weight w given to the deviation. */
  weight: number;
  volumeFactor: number;
  ahtFactor: number;
  completedIntervals: number;
  /** Requirements for the intervals not yet completed, on the adjusted forecast. */
  remaining: RequirementRow<T>[];
}

export function reforecastIntraday<T>(input: IntradayInput<T>): IntradayResult<T> {
  const K = input.damping?.halfWeightIntervals ?? 4;
  const lo = input.damping?.minRatio ?? 0.5;
  const hi = input.damping?.maxRatio ?? 2;
  if (!(K >= 0)) throw new RangeError(`halfWeightIntervals must be ≥ 0, got ${K}`);
  if (!(lo > 0 && lo <= 1 && hi >= 1)) throw new RangeError('damping ratios need 0 < minRatio ≤ 1 ≤ maxRatio');

  const actualByStart = new Map<T, { volume: number; aht?: number | null }>();
  for (const a of input.actuals) {
    if (!(a.volume >= 0)) throw new RangeError(`actual volume must be ≥ 0 at ${String(a.interval_start)}`);
    actualByStart.set(a.interval_start, a);
  }

  let fVol = 0;
  let aVol = 0;
  let fWork = 0; // Σ forecast volume × forecast AHT over intervals with an actual AHT
  let aWork = 0;
  let k = 0;
  const remainingForecast: { interval_start: T; volume: number; aht: number }[] = [];
  for (const f of input.forecast) {
    const a = actualByStart.get(f.interval_start);
    if (!a) {
      remainingForecast.push(f);
      continue;
    }
    if (f.volume > 0) k++;
    fVol += f.volume;
    aVol += a.volume;
    if (a.aht != null && a.volume > 0 && f.volume > 0) {
      fWork += a.volume * f.aht;
      aWork += a.volume * a.aht;
    }
  }
  const weight = k === 0 ? 0 : K === 0 ? 1 : k / (k + K);
  const volumeRatio = fVol > 0 ? aVol / fVol : null;
  const ahtRatio = fWork > 0 ? aWork / fWork : null;
  const damp = (r: number | null) => (r === null ? 1 : 1 + weight * (Math.min(hi, Math.max(lo, r)) - 1));
  const volumeFactor = damp(volumeRatio);
  const ahtFactor = damp(ahtRatio);

  const remaining = computeRequirements(
    remainingForecast.map((f) => ({
      interval_start: f.interval_start,
      volume: f.volume * volumeFactor,
      aht: f.aht * ahtFactor,
    })),
    input.settings,
  );
  return {
    volumeRatio,
    ahtRatio,
    weight,
    volumeFactor,
    ahtFactor,
    completedIntervals: input.forecast.length - remainingForecast.length,
    remaining,
  };
}
