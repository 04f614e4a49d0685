import { describe, expect, it } from 'vitest';
import { erlangB, erlangC } from '../../src/staffing/erlang-c.js';
import { grossUp, requiredAgents } from '../../src/staffing/required.js';

// Independent reference: Erlang C by direct summation in exact integer arithmetic (integer
// load a). Multiply numerator and denominator of
//   C = (a^N/N! · N/(N−a)) / (Σ_{k<N} a^k/k! + a^N/N! · N/(N−a))
// by N!·(N−a) so every term is an integer.
function erlangCExact(n: number, a: number): number {
  const A = BigInt(a);
  const N = BigInt(n);
  let fact = 1n; // N!/k!, built from k = N down
  let sum = 0n;
  for (let k = n - 1; k >= 0; k--) {
    fact *= BigInt(k + 1);
    sum += A ** BigInt(k) * fact * (N - A);
  }
  const top = A ** N * N;
  return Number((top * 10n ** 30n) / (sum + top)) / 1e30;
}

// Independent reference for big loads: direct summation of a^k/k! in log space.
function erlangCLogSum(n: number, a: number): number {
  const logs: number[] = [];
  let logTerm = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logTerm += Math.log(a) - Math.log(k);
    logs.push(logTerm);
  }
  const logTop = logs[n]! + Math.log(n / (n - a));
  const max = Math.max(logTop, ...logs.slice(0, n));
  let s = 0;
  for (let k = 0; k < n; k++) s += Math.exp(logs[k]! - max);
  const top = Math.exp(logTop - max);
  return top / (s + top);
}

describe('Erlang C', () => {
  // The classic worked example: 100 calls in 30 minutes, AHT 180 s → 10 Erlangs, target 80/20.
  const load = (100 / 1800) * 180;

  it('matches exact rational arithmetic for the 10-Erlang example', () => {
    expect(load).toBeCloseTo(10, 12);
    for (const n of [11, 12, 13, 14, 15, 20]) {
      expect(erlangC(n, 10, 180, 20).pWait).toBeCloseTo(erlangCExact(n, 10), 12);
    }
  });

  it('gives the published probabilities of waiting, SL and ASA of the worked example', () => {
    // Rounded to the 4 decimals the example is usually quoted with.
    expect(erlangC(11, 10, 180, 20).pWait).toBeCloseTo(0.6821, 4);
    expect(erlangC(12, 10, 180, 20).pWait).toBeCloseTo(0.4494, 4);
    expect(erlangC(13, 10, 180, 20).pWait).toBeCloseTo(0.2853, 4);
    expect(erlangC(14, 10, 180, 20).pWait).toBeCloseTo(0.1741, 4);
    // SL = 1 − C·e^{−(N−a)·T/AHT}; ASA = C·AHT/(N−a).
    const c13 = erlangCExact(13, 10);
    expect(erlangC(13, 10, 180, 20).serviceLevel).toBeCloseTo(1 - c13 * Math.exp((-3 * 20) / 180), 12);
    expect(erlangC(13, 10, 180, 20).serviceLevel).toBeCloseTo(0.7956, 4);
    expect(erlangC(14, 10, 180, 20).serviceLevel).toBeCloseTo(0.8884, 4);
    expect(erlangC(14, 10, 180, 20).asa).toBeCloseTo((erlangCExact(14, 10) * 180) / 4, 10);
    expect(erlangC(14, 10, 180, 20).occupancy).toBeCloseTo(10 / 14, 12);
  });

  it('needs 14 agents for 80/20 and grosses up by shrinkage', () => {
    const r = requiredAgents({ volume: 100, intervalSeconds: 1800, aht: 180 }, { serviceLevel: 0.8, threshold: 20 });
    expect(r).toMatchObject({ agents: 14, met: true, model: 'erlang-c' });
    expect(grossUp(14, 0.3)).toBe(20); // 14 / 0.7 = 20
    expect(grossUp(7, 0.3)).toBe(10); // 7 / 0.7 is 10.000000000000002 in floating point
    expect(grossUp(0, 0.3)).toBe(0);
  });

  it('adds agents for an ASA target and for an occupancy cap', () => {
    // ASA at 14 agents is 7.84 s, at 15 agents 3.67 s.
    expect(
      requiredAgents({ volume: 100, intervalSeconds: 1800, aht: 180 }, { serviceLevel: 0.8, threshold: 20, asa: 5 })
        .agents,
    ).toBe(15);
    // 10 / 0.65 = 15.4 → 16 agents.
    expect(
      requiredAgents(
        { volume: 100, intervalSeconds: 1800, aht: 180 },
        { serviceLevel: 0.8, threshold: 20, maxOccupancy: 0.65 },
      ).agents,
    ).toBe(16);
    // Occupancy exactly at the cap counts as meeting it: 10 / 12 agents.
    expect(
      requiredAgents(
        { volume: 100, intervalSeconds: 1800, aht: 180 },
        { serviceLevel: 0.5, threshold: 20, maxOccupancy: 10 / 12 },
      ).agents,
    ).toBe(12);
  });

  it('sizes chat by concurrency: servers = agents × concurrency', () => {
    // 14 servers meet 80/20 for this load, so 7 agents handling 2 chats each.
    const r = requiredAgents(
      { volume: 100, intervalSeconds: 1800, aht: 180, concurrency: 2 },
      { serviceLevel: 0.8, threshold: 20 },
    );
    expect(r.agents).toBe(7);
    expect(r.metrics.serviceLevel).toBeCloseTo(erlangC(14, 10, 180, 20).serviceLevel, 12);
    // 3 chats each: 5 agents = 15 servers (14 is not a multiple of 3).
    expect(
      requiredAgents(
        { volume: 100, intervalSeconds: 1800, aht: 180, concurrency: 3 },
        { serviceLevel: 0.8, threshold: 20 },
      ).agents,
    ).toBe(5);
  });

  it('service level rises with N towards 1 and P(wait) falls', () => {
    let prev = erlangC(11, 10, 180, 20);
    for (let n = 12; n <= 40; n++) {
      const m = erlangC(n, 10, 180, 20);
      expect(m.serviceLevel).toBeGreaterThan(prev.serviceLevel);
      expect(m.pWait).toBeLessThan(prev.pWait);
      prev = m;
    }
    expect(prev.serviceLevel).toBeGreaterThan(1 - 1e-9);
    expect(erlangC(10, 10, 180, 20)).toMatchObject({ pWait: 1, serviceLevel: 0, asa: Infinity });
  });

  it('is finite and correct at 5,000 Erlangs', () => {
    const a = 5000;
    for (const n of [5001, 5050, 5100]) {
      expect(erlangC(n, a, 180, 20).pWait).toBeCloseTo(erlangCLogSum(n, a), 10);
    }
    expect(erlangB(5000, 5000)).toBeGreaterThan(0);
    const r = requiredAgents(
      { volume: (a * 1800) / 180, intervalSeconds: 1800, aht: 180 },
      { serviceLevel: 0.8, threshold: 20 },
    );
    expect(r.met).toBe(true);
    expect(erlangC(r.agents, a, 180, 20).serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(erlangC(r.agents - 1, a, 180, 20).serviceLevel).toBeLessThan(0.8);
    expect(r.agents).toBeGreaterThan(5000);
    expect(r.agents).toBeLessThan(5100);
  });

  it('zero volume needs zero agents', () => {
    const r = requiredAgents(
      { volume: 0, intervalSeconds: 1800, aht: 180 },
      { serviceLevel: 0.8, threshold: 20, asa: 10 },
    );
    expect(r).toEqual({
      agents: 0,
      met: true,
      model: 'erlang-c',
      metrics: { pWait: 0, serviceLevel: 1, asa: 0, occupancy: 0, abandon: 0 },
    });
  });

  it('reports unreachable targets instead of looping', () => {
    const w = { volume: 100, intervalSeconds: 1800, aht: 180 };
    const asa0 = requiredAgents(w, { serviceLevel: 0.8, threshold: 20, asa: 0, maxOccupancy: 0.85 });
    expect(asa0.met).toBe(false);
    expect(asa0.reason).toMatch(/ASA/);
    expect(requiredAgents(w, { serviceLevel: 1, threshold: 20 }).met).toBe(false);
    // Headcount 13 cannot reach 80/20 (needs 14).
    const capped = requiredAgents(w, { serviceLevel: 0.8, threshold: 20, maxAgents: 13 });
    expect(capped).toMatchObject({ agents: 13, met: false });
    expect(capped.reason).toMatch(/13 agents/);
    // Occupancy cap 0.5 needs 20 agents but only 15 allowed.
    expect(requiredAgents(w, { serviceLevel: 0.8, threshold: 20, maxOccupancy: 0.5, maxAgents: 15 }).met).toBe(false);
    // 5,000 Erlangs capped at 5,010 agents cannot reach 99/20: the search stops at the cap.
    const huge = requiredAgents(
      { volume: 50_000, intervalSeconds: 1800, aht: 180 },
      { serviceLevel: 0.99, threshold: 20, maxAgents: 5010 },
    );
    expect(huge).toMatchObject({ agents: 5010, met: false });
  });

  it('rejects invalid inputs with the field named', () => {
    expect(() =>
      requiredAgents({ volume: -1, intervalSeconds: 1800, aht: 180 }, { serviceLevel: 0.8, threshold: 20 }),
    ).toThrow(/volume/);
    expect(() =>
      requiredAgents({ volume: 1, intervalSeconds: 1800, aht: 0 }, { serviceLevel: 0.8, threshold: 20 }),
    ).toThrow(/aht/);
    expect(() =>
      requiredAgents({ volume: 1, intervalSeconds: 1800, aht: 180 }, { serviceLevel: 1.2, threshold: 20 }),
    ).toThrow(/serviceLevel/);
    expect(() =>
      requiredAgents(
        { volume: 1, intervalSeconds: 1800, aht: 180, concurrency: 1.5 },
        { serviceLevel: 0.8, threshold: 20 },
      ),
    ).toThrow(/concurrency/);
    expect(() => grossUp(10, 1)).toThrow(/shrinkage/);
  });
});
