// Accuracy measures. WAPE = Σ|error| / Σ|actual|. MASE scales the mean absolute error by the
// in-sample mean absolute error of the weekly seasonal naive (Hyndman & Koehler 2006).

export function wape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let err = 0;
  let tot = 0;
  for (let i = 0; i < actual.length; i++) {
    err += Math.abs(actual[i]! - forecast[i]!);
    tot += Math.abs(actual[i]!);
  }
  return tot === 0 ? (err === 0 ? 0 : Number.POSITIVE_INFINITY) : err / tot;
}

/** Mean |y[t] − y[t − lag]| over the history: the scale for MASE. */
export function naiveScale(history: ArrayLike<number>, lag: number): number {
  let sum = 0;
  let count = 0;
  for (let t = lag; t < history.length; t++) {
    sum += Math.abs(history[t]! - history[t - lag]!);
    count++;
  }
  return count === 0 ? Number.NaN : sum / count;
}

export function mase(
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  history: ArrayLike<number>,
  lag: number,
): number {
  let mae = 0;
  for (let i = 0; i < actual.length; i++) mae += Math.abs(actual[i]! - forecast[i]!);
  mae /= actual.length;
  return mae / naiveScale(history, lag);
}

/**
 * WAPE of daily totals. `firstSlot` is the slot-of-day of actual[0]; a partial day at either
 * end counts with the slots it has.
 */
export function dailyWape(
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  season: number,
  firstSlot = 0,
): number {
  const days = new Map<number, [number, number]>();
  for (let i = 0; i < actual.length; i++) {
    const d = Math.floor((firstSlot + i) / season);
    const cur = days.get(d) ?? [0, 0];
    cur[0] += actual[i]!;
    cur[1] += forecast[i]!;
    days.set(d, cur);
  }
  let err = 0;
  let tot = 0;
  for (const [a, f] of days.values()) {
    err += Math.abs(a - f);
    tot += Math.abs(a);
  }
  return tot === 0 ? (err === 0 ? 0 : Number.POSITIVE_INFINITY) : err / tot;
}

/** Share of actuals inside [lo, hi]. */
export function coverage(actual: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>): number {
  let inside = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i]! >= lo[i]! - 1e-9 && actual[i]! <= hi[i]! + 1e-9) inside++;
  return actual.length === 0 ? Number.NaN : inside / actual.length;
}
