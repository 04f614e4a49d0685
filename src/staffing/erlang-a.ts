// Erlang A (M/M/N+M): Poisson arrivals λ, exponential service μ = 1/AHT, N agents and
// exponential patience θ = 1/patience. Closed forms follow Mandelbaum & Zeltyn, "The M/M/n+G
// queue: summary of performance measures" (exponential-patience case), written through the
// series A(x, y) = Σ_{j≥0} y^j / ((x+1)…(x+j)) with x = Nμ/θ, y = λ/θ:
//   P(wait > 0)        = A·B / (1 + (A − 1)·B),      B = Erlang B(N, λ/μ)
//   P(abandon | wait)  = 1 − (x/y)·(A − 1)/A
//   E[wait]            = P(abandon)/θ                (Little's law on the queue)
// Service level uses the offered-wait density f_V(t) = λ·π_{N−1}·exp(λ(1 − e^{−θt})/θ − Nμt)
// (Baccelli & Hébuterne): answered within T means V ≤ T and V < own patience, so
//   SL = P(V = 0) + ∫_0^T f_V(t)·e^{−θt} dt,
// whose integral is again a difference of A-series. Everything is summed in log space so
// loads of thousands of Erlangs (and heavy overload) neither overflow nor underflow.
import { erlangB, erlangCMetricsFromB, type QueueMetrics } from './erlang-c.js';

const RESCALE = 1e280;
const LOG_RESCALE = Math.log(RESCALE);

interface LogSeries {
  /** ln A(x, y) */
  logA: number;
  /** ln (A(x, y) − 1), −Infinity when y = 0 */
  logAm1: number;
}

/** ln of A(x, y) and of A − 1, summed with rescaling so huge terms do not overflow. */
export function logSeriesA(x: number, y: number): LogSeries {
  if (y <= 0) return { logA: 0, logAm1: -Infinity };
  let term = 1;
  let sum = 0; // Σ_{j≥1}, scaled by e^{−shift}
  let shift = 0;
  // Terms rise while x + j < y, then fall at least geometrically once past the peak.
  const peak = Math.max(0, y - x);
  const maxTerms = Math.ceil(peak + 60 * Math.sqrt(y + x + 1) + 1000);
  for (let j = 1; j <= maxTerms; j++) {
    term *= y / (x + j);
    sum += term;
    if (term > RESCALE) {
      term /= RESCALE;
      sum /= RESCALE;
      shift += LOG_RESCALE;
    }
    if (j > peak && term < sum * 1e-17) break;
  }
  const logAm1 = shift + Math.log(sum);
  const logA = logAddExp(0, logAm1);
  return { logA, logAm1 };
}

function logAddExp(p: number, q: number): number {
  if (p === -Infinity) return q;
  if (q === -Infinity) return p;
  const m = Math.max(p, q);
  return m + Math.log1p(Math.exp(-Math.abs(p - q)));
}

/** ln(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * Erlang A metrics when B(N, a) is known. `load` = λ·AHT, times in seconds (any one unit).
 * Service level counts abandons as not answered within the threshold; `asa` is the mean wait
 * over all offered contacts (served or abandoned).
 */
export function erlangAMetricsFromB(
  agents: number,
  load: number,
  aht: number,
  patience: number,
  threshold: number,
  b: number,
): QueueMetrics {
  if (load <= 0) return { pWait: 0, serviceLevel: 1, asa: 0, occupancy: 0, abandon: 0 };
  // Infinite patience is plain Erlang C.
  if (!Number.isFinite(patience)) return erlangCMetricsFromB(agents, load, aht, threshold, b);
  if (agents <= 0) {
    return { pWait: 1, serviceLevel: 0, asa: patience, occupancy: 0, abandon: 1 };
  }
  const mu = 1 / aht;
  const theta = 1 / patience;
  const nMu = agents * mu;
  const x = nMu / theta;
  const y = (load * mu) / theta;

  const logB = Math.log(b);
  const log1mB = Math.log1p(-b);
  if (logB === -Infinity) {
    // B underflowed: so many agents that nobody ever waits.
    return { pWait: 0, serviceLevel: 1, asa: 0, occupancy: load / agents, abandon: 0 };
  }
  const main = logSeriesA(x, y);
  const logR = main.logA + logB - log1mB; // r = P(V > 0) / P(V = 0)
  const logS = -softplus(logR); // ln P(V = 0)
  const pWait = 1 / (1 + Math.exp(-logR));
  const pAbandonGivenWait = clamp01(1 - (x / y) * Math.exp(main.logAm1 - main.logA));
  const abandon = pWait * pAbandonGivenWait;

  // ∫_0^T f_V(t) e^{−θt} dt / P(V = 0) = λB_{N−1} · [A(x+1, y) − e^{E}·A(x+1, y')] / (Nμ + θ)
  // with y' = y·e^{−θT}, E = y − y' − (x+1)θT and λB_{N−1} = Nμ·B/(1 − B).
  let answeredAfterWait = 0;
  if (threshold > 0) {
    const yT = y * Math.exp(-theta * threshold);
    // A(x, y) = 1 + y/(x+1)·A(x+1, y) gives A(x+1, y) without another series.
    const l1 = main.logAm1 + Math.log(x + 1) - Math.log(y);
    const l2 = y - yT - (x + 1) * theta * threshold + logSeriesA(x + 1, yT).logA;
    if (l2 < l1) {
      const logDiff = l1 + Math.log1p(-Math.exp(l2 - l1));
      answeredAfterWait = Math.exp(Math.log(nMu) + logB - log1mB + logDiff - Math.log(nMu + theta) + logS);
    }
  }
  return {
    pWait,
    serviceLevel: clamp01(Math.exp(logS) + answeredAfterWait),
    asa: abandon * patience,
    occupancy: Math.min(1, (load * (1 - abandon)) / agents),
    abandon,
  };
}

/** Erlang A for `agents` agents, load λ·AHT, handle time, mean patience and SL threshold. */
export function erlangA(agents: number, load: number, aht: number, patience: number, threshold: number): QueueMetrics {
  return erlangAMetricsFromB(agents, load, aht, patience, threshold, erlangB(agents, load));
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
