import { describe, expect, it } from 'vitest';
import { erlangA } from '../../src/staffing/erlang-a.js';
import { erlangC } from '../../src/staffing/erlang-c.js';
import { requiredAgents } from '../../src/staffing/required.js';

// Independent reference for M/M/n+M, by a different method than the closed forms:
// the birth–death stationary distribution summed state by state, and the service level from
// the tagged caller's own Markov chain (i callers ahead; the queue ahead shrinks at rate
// nμ + iθ, the caller leaves at rate θ) integrated over [0, T] by uniformization.
function reference(n: number, a: number, aht: number, patience: number, T: number, K = 200) {
  const mu = 1 / aht;
  const theta = 1 / patience;
  const lambda = a * mu;
  const w: number[] = [1];
  for (let j = 1; j <= n + K; j++) {
    const rate = j <= n ? j * mu : n * mu + (j - n) * theta;
    w.push((w[j - 1]! * lambda) / rate);
  }
  const total = w.reduce((s, v) => s + v, 0);
  const pi = w.map((v) => v / total);
  let pWait = 0;
  let eq = 0;
  for (let j = n; j <= n + K; j++) {
    pWait += pi[j]!;
    eq += (j - n) * pi[j]!;
  }
  // Uniformized tagged-caller chain, started from what an arrival sees (PASTA).
  const big = n * mu + K * theta + theta;
  let v = pi.slice(n); // v[i] = probability of arriving with i callers ahead
  let served = 0;
  // Poisson(ΛT) weights in log space: e^{−ΛT} alone underflows for long thresholds.
  const mean = big * T;
  let logPoisson = -mean;
  let sl = 0;
  const steps = Math.ceil(mean + 12 * Math.sqrt(mean) + 50);
  for (let m = 1; m <= steps; m++) {
    const next = new Array<number>(v.length).fill(0);
    for (let i = 0; i < v.length; i++) {
      const move = n * mu + i * theta;
      if (i === 0) served += (v[0]! * move) / big;
      else next[i - 1]! += (v[i]! * move) / big;
      next[i]! += v[i]! * (1 - (move + theta) / big);
    }
    v = next;
    logPoisson += Math.log(mean / m);
    sl += Math.exp(logPoisson) * served;
  }
  const pNoWait = 1 - pWait;
  return { pWait, abandon: (theta * eq) / lambda, asa: eq / lambda, serviceLevel: pNoWait + (T === 0 ? 0 : sl) };
}

describe('Erlang A', () => {
  const cases: Array<[number, number, number, number, number]> = [
    // n, load, aht, patience, threshold
    [13, 10, 180, 120, 20],
    [11, 10, 180, 300, 20],
    [8, 10, 180, 60, 30], // overloaded: fewer agents than Erlangs
    [20, 15, 300, 200, 0],
    [3, 2.5, 240, 90, 15],
  ];
  it.each(cases)(
    'matches the state-by-state reference (n=%i, a=%f, aht=%i, patience=%i, T=%i)',
    (n, a, aht, pat, T) => {
      const got = erlangA(n, a, aht, pat, T);
      const ref = reference(n, a, aht, pat, T);
      expect(got.pWait).toBeCloseTo(ref.pWait, 9);
      expect(got.abandon).toBeCloseTo(ref.abandon, 9);
      expect(got.asa).toBeCloseTo(ref.asa, 6);
      expect(got.serviceLevel).toBeCloseTo(ref.serviceLevel, 8);
      // Carried load: busy agents = a·(1 − P(abandon)).
      expect(got.occupancy).toBeCloseTo((a * (1 - ref.abandon)) / n, 9);
    },
  );

  it('matches the reference at 500 Erlangs', () => {
    const got = erlangA(505, 500, 180, 120, 20);
    const ref = reference(505, 500, 180, 120, 20, 1500);
    expect(got.pWait).toBeCloseTo(ref.pWait, 8);
    expect(got.abandon).toBeCloseTo(ref.abandon, 9);
    expect(got.serviceLevel).toBeCloseTo(ref.serviceLevel, 7);
  });

  it('tends to Erlang C as patience grows', () => {
    for (const n of [11, 13, 15]) {
      const c = erlangC(n, 10, 180, 20);
      const a = erlangA(n, 10, 180, 1e9, 20);
      expect(a.pWait).toBeCloseTo(c.pWait, 6);
      expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 6);
      expect(Math.abs(a.asa - c.asa) / c.asa).toBeLessThan(1e-5);
      expect(a.abandon).toBeLessThan(1e-6);
      expect(erlangA(n, 10, 180, Infinity, 20)).toEqual(c);
    }
  });

  it('with one agent and 5,000 Erlangs only one call in 5,000 is served', () => {
    const m = erlangA(1, 5000, 180, 120, 20);
    expect(m.abandon).toBeCloseTo(1 - 1 / 5000, 4);
    expect(m.pWait).toBeCloseTo(1, 9);
  });

  it('sizes by the smallest N whose reference SL meets the target', () => {
    let expected = 1;
    while (reference(expected, 10, 180, 120, 20).serviceLevel < 0.8) expected++;
    const r = requiredAgents(
      { volume: 100, intervalSeconds: 1800, aht: 180, patience: 120 },
      { serviceLevel: 0.8, threshold: 20 },
    );
    expect(expected).toBe(12);
    expect(r).toMatchObject({ agents: 12, met: true, model: 'erlang-a' });
    // Impatient callers can leave few enough waiting that N < a meets a loose target.
    let loose = 1;
    while (reference(loose, 10, 180, 30, 60).serviceLevel < 0.5) loose++;
    expect(loose).toBeLessThan(10);
    expect(
      requiredAgents(
        { volume: 100, intervalSeconds: 1800, aht: 180, patience: 30 },
        { serviceLevel: 0.5, threshold: 60 },
      ).agents,
    ).toBe(loose);
  });

  it('is finite at 5,000 Erlangs and SL rises with N', () => {
    const r = requiredAgents(
      { volume: 50_000, intervalSeconds: 1800, aht: 180, patience: 120 },
      { serviceLevel: 0.8, threshold: 20, asa: 15 },
    );
    expect(r.met).toBe(true);
    const below = erlangA(r.agents - 1, 5000, 180, 120, 20);
    expect(below.serviceLevel < 0.8 || below.asa > 15).toBe(true);
    let prev = erlangA(4900, 5000, 180, 120, 20).serviceLevel;
    for (let n = 4920; n <= 5200; n += 20) {
      const m = erlangA(n, 5000, 180, 120, 20);
      for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
      expect(m.serviceLevel).toBeGreaterThan(prev);
      prev = m.serviceLevel;
    }
  });

  it('zero volume → 0 agents; an impossible ASA is reported', () => {
    expect(
      requiredAgents(
        { volume: 0, intervalSeconds: 1800, aht: 180, patience: 120 },
        { serviceLevel: 0.8, threshold: 20 },
      ).agents,
    ).toBe(0);
    const r = requiredAgents(
      { volume: 100, intervalSeconds: 1800, aht: 180, patience: 120 },
      { serviceLevel: 0.8, threshold: 20, asa: 0, maxOccupancy: 0.85 },
    );
    expect(r.met).toBe(false);
  });
});
