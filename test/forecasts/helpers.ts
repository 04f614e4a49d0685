// Deterministic synthetic series for the forecast tests.
export function doubleSeasonal(weeks: number, season: number, week: number, noise = 0, seed = 1): Float64Array {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p = season * week;
  const y = new Float64Array(weeks * p);
  for (let t = 0; t < y.length; t++) {
    const day =
      30 * Math.sin((2 * Math.PI * (t % season)) / season) + 10 * Math.cos((4 * Math.PI * (t % season)) / season);
    const wk = 15 * Math.sin((2 * Math.PI * (t % p)) / p);
    y[t] = 100 + day + wk + noise * (rand() - 0.5);
  }
  return y;
}
