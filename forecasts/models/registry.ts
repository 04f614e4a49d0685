// Every model by alias. The first entry is the fallback the orchestrator uses when others fail.
import type { ForecastModel } from './types.js';
import { seasonalNaive, weeklyMean, weeklyMedian } from './naive.js';
import { dshw } from './dshw.js';
import { mstlEts } from './mstl-ets.js';
import { fourierRidge } from './fourier.js';
import { topDown } from './topdown.js';

export const FALLBACK_ALIAS = 'snaive_week';

export function defaultModels(): ForecastModel[] {
  return [seasonalNaive(), weeklyMean(4), weeklyMedian(5), dshw(), mstlEts(), fourierRidge(), topDown()];
}

export function modelsByAlias(aliases?: readonly string[]): ForecastModel[] {
  const all = defaultModels();
  if (!aliases || aliases.length === 0) return all;
  const byAlias = new Map(all.map((m) => [m.alias, m]));
  return aliases.map((a) => {
    const model = byAlias.get(a);
    if (!model) throw new Error(`unknown model "${a}" (known: ${[...byAlias.keys()].join(', ')})`);
    return model;
  });
}
