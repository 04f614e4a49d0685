// Writes ts,forecast,lo80,hi80,lo95,hi95,model. Closed slots name "closed" as their model.
import type { ForecastResult } from '../pipeline.js';

const num = (v: number): string => (v === 0 ? '0' : String(Math.round(v * 10000) / 10000));

export const FORECAST_COLUMNS = ['ts', 'forecast', 'lo80', 'hi80', 'lo95', 'hi95', 'model'] as const;

export function formatForecastCsv(timestamps: readonly string[], r: ForecastResult): string {
  const lines = [FORECAST_COLUMNS.join(',')];
  for (let i = 0; i < timestamps.length; i++) {
    const model = r.zero[i] === 1 ? 'closed' : r.model;
    lines.push(
      [
        timestamps[i],
        num(r.forecast[i]!),
        num(r.lo80[i]!),
        num(r.hi80[i]!),
        num(r.lo95[i]!),
        num(r.hi95[i]!),
        model,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
