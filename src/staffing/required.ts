// Smallest agent count meeting SL, optional ASA and an occupancy cap, for Erlang C or A.
import { erlangBNext, erlangCMetricsFromB, type QueueMetrics } from './erlang-c.js';
import { erlangAMetricsFromB } from './erlang-a.js';
import type { StaffingResult, StaffingTargets, Workload, StaffingModel } from './types.js';

const ZERO: QueueMetrics = { pWait: 0, serviceLevel: 1, asa: 0, occupancy: 0, abandon: 0 };
// Tolerances so that e.g. occupancy 0.85 exactly at the cap counts as meeting it.
const EPS = 1e-12;

export function validateWorkload(w: Workload): void {
  if (!(w.volume >= 0) || !Number.isFinite(w.volume))
    throw new RangeError(`volume must be a finite number ≥ 0, got ${w.volume}`);
  if (!(w.intervalSeconds > 0)) throw new RangeError(`intervalSeconds must be > 0, got ${w.intervalSeconds}`);
  if (!(w.aht > 0) || !Number.isFinite(w.aht)) throw new RangeError(`aht must be a finite number > 0, got ${w.aht}`);
  if (w.patience != null && !(w.patience > 0)) throw new RangeError(`patience must be > 0, got ${w.patience}`);
  const k = w.concurrency ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`concurrency must be an integer ≥ 1, got ${k}`);
}

export function validateTargets(t: StaffingTargets): void {
  if (!(t.serviceLevel >= 0 && t.serviceLevel <= 1))
    throw new RangeError(`serviceLevel must be in [0, 1], got ${t.serviceLevel}`);
  if (!(t.threshold >= 0) || !Number.isFinite(t.threshold))
    throw new RangeError(`threshold must be a finite number ≥ 0, got ${t.threshold}`);
  if (t.asa != null && !(t.asa >= 0)) throw new RangeError(`asa must be ≥ 0, got ${t.asa}`);
  const occ = t.maxOccupancy ?? 1;
  if (!(occ > 0 && occ <= 1)) throw new RangeError(`maxOccupancy must be in (0, 1], got ${occ}`);
  if (t.maxAgents != null && !(Number.isInteger(t.maxAgents) && t.maxAgents >= 0)) {
    throw new RangeError(`maxAgents must be an integer ≥ 0, got ${t.maxAgents}`);
  }
}

/** Offered load in Erlangs: λ·AHT. */
export function offeredLoad(w: Workload): number {
  return (w.volume / w.intervalSeconds) * w.aht;
}

/** Agents a schedule must provide so that `required` are available after shrinkage. */
export function grossUp(required: number, shrinkage: number): number {
  if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError(`shrinkage must be in [0, 1), got ${shrinkage}`);
  if (required <= 0) return 0;
  // The epsilon keeps 7 / (1 − 0.3) = 10.000000000000002 from becoming 11.
  return Math.ceil(required / (1 - shrinkage) - 1e-9);
}

/** Metrics for a given number of agents (servers = agents × concurrency). */
export function evaluateStaffing(
  w: Workload,
  agents: number,
  threshold: number,
): QueueMetrics & { model: StaffingModel } {
  validateWorkload(w);
  const load = offeredLoad(w);
  const servers = agents * (w.concurrency ?? 1);
  let b = 1;
  for (let n = 1; n <= servers; n++) b = erlangBNext(b, n, load);
  return { ...metricsAt(w, load, servers, threshold, b), model: modelOf(w) };
}

export function modelOf(w: Workload): StaffingModel {
  return w.patience != null && Number.isFinite(w.patience) ? 'erlang-a' : 'erlang-c';
}

function metricsAt(w: Workload, load: number, servers: number, threshold: number, b: number): QueueMetrics {
  return w.patience != null && Number.isFinite(w.patience)
    ? erlangAMetricsFromB(servers, load, w.aht, w.patience, threshold, b)
    : erlangCMetricsFromB(servers, load, w.aht, threshold, b);
}

function meets(m: QueueMetrics, t: StaffingTargets, maxOcc: number): boolean {
  return (
    m.serviceLevel >= t.serviceLevel - EPS && (t.asa == null || m.asa <= t.asa + EPS) && m.occupancy <= maxOcc + EPS
  );
}

/**
 * Smallest N meeting every target. Terminates always: the search is bounded by
 * `targets.maxAgents` or by a generous cap (a/maxOccupancy + 30√a + 100 servers) beyond which
 * the probability of waiting is below any representable target. Unreachable targets come
 * back with `met: false` and a reason.
 */
export function requiredAgents(w: Workload, targets: StaffingTargets): StaffingResult {
  validateWorkload(w);
  validateTargets(targets);
  return requiredAgentsUnchecked(w, targets);
}

/** `requiredAgents` without input validation, for loops that validated once. */
export function requiredAgentsUnchecked(w: Workload, targets: StaffingTargets): StaffingResult {
  const model = modelOf(w);
  const load = offeredLoad(w);
  if (load === 0) return { agents: 0, met: true, model, metrics: ZERO };

  const k = w.concurrency ?? 1;
  const maxOcc = targets.maxOccupancy ?? 1;
  const cap = targets.maxAgents ?? Math.ceil((load / maxOcc + 30 * Math.sqrt(load) + 100) / k);

  const unreachable = (reason: string): StaffingResult => {
    const { model: _m, ...metrics } = evaluateStaffing(w, cap, targets.threshold);
    return { agents: cap, met: false, reason, model, metrics };
  };
  // Targets that no finite staffing reaches with a non-zero load.
  if (targets.serviceLevel >= 1) return unreachable('a service level of 100% is never reached with non-zero volume');
  if (targets.asa != null && targets.asa <= 0)
    return unreachable('an ASA of 0 s is never reached with non-zero volume');

  const found =
    model === 'erlang-c'
      ? searchErlangC(w, load, targets, maxOcc, k, cap)
      : searchErlangA(w, load, targets, maxOcc, k, cap);
  if (found === null) {
    return unreachable(`targets not met with up to ${cap} agents (offered load ${round(load)} Erlangs)`);
  }
  return { agents: found.agents, met: true, model, metrics: found.metrics };
}

interface Found {
  agents: number;
  metrics: QueueMetrics;
}

// Erlang C needs N > a and N ≥ a/maxOcc: start there and walk up, extending the Erlang B
// recursion by one step per server instead of recomputing it.
function searchErlangC(
  w: Workload,
  load: number,
  t: StaffingTargets,
  maxOcc: number,
  k: number,
  cap: number,
): Found | null {
  const minServers = Math.max(Math.floor(load) + 1, Math.ceil(load / maxOcc - 1e-9));
  let agents = Math.max(1, Math.ceil(minServers / k));
  if (agents > cap) return null;
  let servers = agents * k;
  let b = 1;
  for (let n = 1; n <= servers; n++) b = (load * b) / (n + load * b);
  // Inlined Erlang C (see erlangCMetricsFromB): this loop runs for millions of intervals.
  const slTarget = t.serviceLevel - EPS;
  const asaTarget = t.asa == null ? Infinity : t.asa + EPS;
  const decay = -t.threshold / w.aht;
  for (;;) {
    const excess = servers - load;
    const c = (servers * b) / (servers - load * (1 - b));
    const sl = 1 - c * Math.exp(excess * decay);
    const asa = (c * w.aht) / excess;
    if (sl >= slTarget && asa <= asaTarget && load / servers <= maxOcc + EPS) {
      return { agents, metrics: { pWait: c, serviceLevel: sl, asa, occupancy: load / servers, abandon: 0 } };
    }
    if (++agents > cap) return null;
    for (let i = 0; i < k; i++) {
      servers++;
      b = (load * b) / (servers + load * b);
    }
  }
}

// Erlang A can meet targets below N = a and each evaluation sums a series, so search around a
// guess (the Erlang C answer, usually within a few agents) by galloping to a bracket and then
// bisecting; SL rises and ASA and occupancy fall as N grows, so "meets" is monotone in N.
function searchErlangA(
  w: Workload,
  load: number,
  t: StaffingTargets,
  maxOcc: number,
  k: number,
  cap: number,
): Found | null {
  const bTable = new Float64Array(cap * k + 1);
  bTable[0] = 1;
  for (let n = 1; n <= cap * k; n++) bTable[n] = erlangBNext(bTable[n - 1]!, n, load);
  const at = (agents: number): QueueMetrics =>
    erlangAMetricsFromB(agents * k, load, w.aht, w.patience!, t.threshold, bTable[agents * k]!);
  const c = searchErlangC(w, load, t, maxOcc, k, cap);
  const guess = Math.min(cap, Math.max(1, c ? c.agents : cap));
  let lo: number; // largest count known to fail (0 agents serve nobody)
  let hi: number; // smallest count known to meet
  let best: QueueMetrics;
  const g = at(guess);
  if (meets(g, t, maxOcc)) {
    hi = guess;
    best = g;
    lo = 0;
    for (let step = 1; hi - step >= 1; step *= 2) {
      const m = at(hi - step);
      if (!meets(m, t, maxOcc)) {
        lo = hi - step;
        break;
      }
      hi -= step;
      best = m;
    }
  } else {
    lo = guess;
    for (let step = 1; ; step *= 2) {
      const n = Math.min(cap, lo + step);
      const m = at(n);
      if (meets(m, t, maxOcc)) {
        hi = n;
        best = m;
        break;
      }
      lo = n;
      if (n === cap) return null;
    }
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const m = at(mid);
    if (meets(m, t, maxOcc)) {
      hi = mid;
      best = m;
    } else lo = mid;
  }
  return { agents: hi, metrics: best };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
