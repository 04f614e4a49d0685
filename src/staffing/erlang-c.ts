// Erlang B / Erlang C (M/M/N) without factorials: the Erlang B recursion
// B(0) = 1, B(n) = a·B(n−1) / (n + a·B(n−1)) stays in [0, 1] for any load, so
// thousands of Erlangs are fine; C is derived from B.

/** Erlang B blocking probability for `agents` servers and offered load `load` (Erlangs). */
export function erlangB(agents: number, load: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (load * b) / (n + load * b);
  return b;
}

/** One step of the Erlang B recursion: B(n) from B(n−1). */
export function erlangBNext(bPrev: number, n: number, load: number): number {
  return (load * bPrev) / (n + load * bPrev);
}

/** Erlang C probability of waiting from Erlang B at the same N; 1 when the queue is unstable (N ≤ a). */
export function erlangCFromB(agents: number, load: number, b: number): number {
  if (load <= 0) return 0;
  if (agents <= load) return 1;
  return (agents * b) / (agents - load * (1 - b));
}

export interface QueueMetrics {
  /** Probability an arriving contact waits at all. */
  pWait: number;
  /** Fraction of all offered contacts answered within the threshold. */
  serviceLevel: number;
  /** Mean wait over all offered contacts, seconds (Infinity when unstable). */
  asa: number;
  /** Fraction of agent time busy. */
  occupancy: number;
  /** Fraction of offered contacts that abandon (always 0 in Erlang C). */
  abandon: number;
}

/** Erlang C metrics when B(N, a) is already known (lets callers reuse the recursion). */
export function erlangCMetricsFromB(
  agents: number,
  load: number,
  aht: number,
  threshold: number,
  b: number,
): QueueMetrics {
  if (load <= 0) return { pWait: 0, serviceLevel: 1, asa: 0, occupancy: 0, abandon: 0 };
  if (agents <= load) return { pWait: 1, serviceLevel: 0, asa: Infinity, occupancy: 1, abandon: 0 };
  const c = erlangCFromB(agents, load, b);
  const excess = agents - load;
  return {
    pWait: c,
    serviceLevel: 1 - c * Math.exp((-excess * threshold) / aht),
    asa: (c * aht) / excess,
    occupancy: load / agents,
    abandon: 0,
  };
}

/**
 * Erlang C for `agents` agents, offered load `load` = λ·AHT (Erlangs), handle time `aht`
 * and service-level threshold `threshold` (same time unit as `aht`).
 */
export function erlangC(agents: number, load: number, aht: number, threshold: number): QueueMetrics {
  return erlangCMetricsFromB(agents, load, aht, threshold, erlangB(agents, load));
}
