// Deterministic synthetic call-centre series for the forecast bench (seeded, no I/O), and the
// seeded draws (rng, poisson, gaussian) the other built series of examples/forecast share.
const SEASON = 48;
const WEEK = 7;
export const HISTORY_WEEKS = 104;
const WEEKS = HISTORY_WEEKS;

/** mulberry32: small, seeded, deterministic. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson count; above `normalAbove` the normal approximation (cheaper, close enough there). */
export function poisson(lambda: number, rand: () => number, normalAbove = 50): number {
  if (lambda <= 0) return 0;
  if (lambda > normalAbove) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rand)));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

/** A standard normal draw (Box–Muller). */
export function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** A call-centre-like queue: open hours, two intraday peaks, weekday levels, slow trend, Poisson counts. */
export function syntheticSeries(index: number, seed = 42): Float64Array {
  const rand = rng(seed * 1_000_003 + index);
  const level = 5 + 60 * rand();
  const opens = 12 + Math.floor(6 * rand()); // 06:00–09:00
  const closes = 36 + Math.floor(12 * rand()); // 18:00–24:00
  const weekday = Array.from({ length: WEEK }, (_, d) => (d >= 5 ? 0.3 + 0.4 * rand() : 0.9 + 0.3 * rand()));
  const closedSunday = rand() < 0.3;
  const trend = (rand() - 0.5) * 0.4; // ±20 % a year
  const y = new Float64Array(WEEKS * WEEK * SEASON);
  for (let t = 0; t < y.length; t++) {
    const slot = t % SEASON;
    const day = Math.floor(t / SEASON);
    const wd = day % WEEK;
    if (slot < opens || slot >= closes || (closedSunday && wd === 6)) continue;
    const x = (slot - opens) / (closes - opens);
    const shape = 0.4 + Math.exp(-((x - 0.25) ** 2) / 0.02) + 0.8 * Math.exp(-((x - 0.7) ** 2) / 0.03);
    const annual = 1 + 0.1 * Math.sin((2 * Math.PI * day) / 365);
    const mean = level * shape * weekday[wd]! * annual * (1 + (trend * day) / 365);
    y[t] = poisson(mean, rand);
  }
  return y;
}
