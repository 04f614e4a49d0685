// Average handle time per interval with the same machinery, volume-weighted: forecast the
// workload (volume × AHT, seconds of handling) and the volume, and divide. Where the volume
// forecast is ~0 (closed or near-empty), use the slot's volume-weighted AHT over recent weeks.
import { fitAndForecast, type ForecastOptions, type ForecastResult } from './pipeline.js';

export interface AhtForecast {
  aht: Float64Array;
  volume: ForecastResult;
  workload: ForecastResult;
}

export function fitAndForecastAht(
  volume: Float64Array,
  aht: Float64Array,
  options: ForecastOptions,
  recentWeeks = 4,
): AhtForecast {
  if (volume.length !== aht.length) throw new Error('volume and aht must have the same length');
  const n = volume.length;
  const workload = Float64Array.from(volume, (v, t) => v * aht[t]!);
  const v = fitAndForecast(volume, options);
  const w = fitAndForecast(workload, options);
  const p = options.season * (options.week ?? 7);
  // fallback: volume-weighted AHT per weekly slot over the last weeks, else overall
  const slotWork = new Float64Array(p);
  const slotVol = new Float64Array(p);
  let allWork = 0;
  let allVol = 0;
  for (let t = Math.max(0, n - recentWeeks * p); t < n; t++) {
    slotWork[t % p] = slotWork[t % p]! + workload[t]!;
    slotVol[t % p] = slotVol[t % p]! + volume[t]!;
    allWork += workload[t]!;
    allVol += volume[t]!;
  }
  const overall = allVol > 0 ? allWork / allVol : 0;
  const out = new Float64Array(options.horizon);
  for (let i = 0; i < options.horizon; i++) {
    const q = (n + i) % p;
    if (v.zero[i] === 1) out[i] = 0;
    else if (v.forecast[i]! >= 0.5) out[i] = w.forecast[i]! / v.forecast[i]!;
    else out[i] = slotVol[q]! > 0 ? slotWork[q]! / slotVol[q]! : overall;
  }
  return { aht: out, volume: v, workload: w };
}
