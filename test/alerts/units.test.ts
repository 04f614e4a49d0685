// The pure parts: the surge test against values worked out with scipy, the hysteresis of
// episodes, tail probabilities, and the alert settings read from the environment.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { EpisodeTracker, type Condition } from '../../src/alerts/episodes.js';
import { judgeSurge, testsPerDay, type SurgeCounts } from '../../src/alerts/surge.js';
import { negativeBinomialTail, poissonTail } from '../../src/alerts/tail.js';

const params = { windows_min: [15], min_increase_pct: 100, min_count: 10, dispersion: 200, clear_increase_pct: 50 };
// odds (1000 + ½) / 4000 × (400 + ½) other-reason contacts in the baseline windows × level 1000 / 4000
// = 25.043765625 expected; size 1 / (1/400.5 + 1/1000.5 + 1/1000 + 1/4000 + 1/200) = 102.602…
const counts = (observed: number): SurgeCounts => ({
  observed: [observed],
  otherBase: [400],
  levelToday: 1000,
  levelBase: 4000,
  mixReason: 1000,
  mixOther: 4000,
});

describe('surge test', () => {
  it('computes the expected count and the negative-binomial tail (scipy nbinom.sf)', () => {
    const v = judgeSurge(counts(60), params, 1e-6);
    const w = v.windows[0]!;
    expect(w.expected).toBeCloseTo(25.043765625, 9);
    expect(w.ratio).toBeCloseTo(2.3958058423971536, 9);
    // scipy: nbinom.sf(59, k, k / (k + mu)) = 1.7916622715109875e-07
    expect(w.p_value / 1.7916622715109875e-7).toBeCloseTo(1, 6);
    expect(v.firing).toBe(true);
    expect(v.worst).toBe(w);
  });

  it('needs all three: p below the threshold, the minimum increase, the minimum count', () => {
    // p = 7.24e-5 (scipy) passes a 1e-4 threshold, but 50 is only ×1.997: not "up 100 %".
    const small = judgeSurge(counts(50), params, 1e-4);
    expect(small.windows[0]!.p_value / 7.244034816892673e-5).toBeCloseTo(1, 6);
    expect(small.firing).toBe(false);
    // ×2.4 but p = 1.79e-7 is not below 1e-7.
    expect(judgeSurge(counts(60), params, 1e-7).firing).toBe(false);
    // Up 200 % on 3 expected (9 observed) is under min_count 10.
    const few = { ...counts(9), otherBase: [47.5], levelBase: 4000 }; // expected 0.250125 × 48 × 0.25 = 3.0015
    const verdict = judgeSurge(few, { ...params, dispersion: 1e9 }, 0.5);
    expect(verdict.windows[0]!.expected).toBeCloseTo(3.0015, 9);
    expect(verdict.firing).toBe(false);
  });

  it('gives no verdict while the queue is too quiet to scale the baseline', () => {
    expect(judgeSurge({ ...counts(60), levelToday: 29 }, params, 1e-6)).toEqual({
      firing: null,
      clear: true,
      worst: null,
      windows: [],
    });
  });

  it('clears only under expected × 1.5 in the shortest window', () => {
    expect(judgeSurge(counts(38), params, 1e-6).clear).toBe(false); // 38 ≥ 37.57
    expect(judgeSurge(counts(37), params, 1e-6).clear).toBe(true);
  });

  it('Bonferroni counts the non-overlapping windows of a day', () => {
    expect(testsPerDay([15, 30, 60])).toBe(96 + 48 + 24);
  });

  it('tails match scipy', () => {
    expect(poissonTail(36, 12) / 1.7228077275291682e-8).toBeCloseTo(1, 6); // poisson.sf(35, 12)
    expect(negativeBinomialTail(36, 12, 40) / 2.022186218028993e-6).toBeCloseTo(1, 6); // nbinom.sf(35, 40, 40/52)
    expect(poissonTail(0, 5)).toBe(1);
    expect(negativeBinomialTail(3, 0, 10)).toBe(0);
  });
});

describe('episodes', () => {
  const cond = (state: Condition['state'], value = 0): Condition => ({
    queue: 'billing',
    rule: 'waiting',
    subject: '',
    state,
    message: `${value} waiting`,
    value: { waiting: value },
    clearAfter: 3,
  });

  it('opens once, holds inside the margin, resolves after clear_after clear evaluations in a row', () => {
    const t = new EpisodeTracker();
    const opened = t.step(0, [cond('firing', 25)], 3).opened;
    expect(opened.map((e) => [e.rule, e.opened_at, e.message])).toEqual([
      ['waiting', '1970-01-01T00:00:00.000Z', '25 waiting'],
    ]);
    expect(t.step(1000, [cond('firing', 30)], 3)).toEqual({ opened: [], resolved: [] }); // still the same episode
    expect(t.step(2000, [cond('clear', 5)], 3).resolved).toEqual([]);
    expect(t.step(3000, [cond('clear', 5)], 3).resolved).toEqual([]);
    expect(t.step(4000, [cond('hold', 18)], 3).resolved).toEqual([]); // the streak starts again
    expect(t.step(5000, [cond('clear', 5)], 3).resolved).toEqual([]);
    expect(t.step(6000, [cond('clear', 5)], 3).resolved).toEqual([]);
    const resolved = t.step(7000, [cond('clear', 4)], 3).resolved;
    expect(resolved.map((e) => [e.id, e.resolved_at, e.last_value])).toEqual([
      [opened[0]!.id, '1970-01-01T00:00:07.000Z', { waiting: 4 }],
    ]);
    expect(t.active()).toEqual([]);
    const again = t.step(8000, [cond('firing', 40)], 3).opened;
    expect(again).toHaveLength(1);
    expect(again[0]!.id).not.toBe(opened[0]!.id);
  });

  it('never opens on hold or clear, and resolves a rule that stopped reporting', () => {
    const t = new EpisodeTracker();
    expect(t.step(0, [cond('hold', 18), cond('clear', 1)], 3).opened).toEqual([]);
    t.step(0, [cond('firing', 25)], 3);
    expect(t.step(1, [], 2).resolved).toEqual([]);
    expect(t.step(2, [], 2).resolved).toHaveLength(1);
  });
});

describe('alert settings from the environment', () => {
  it('defaults: on, every 60 s, no webhooks', () => {
    expect(loadConfig({}).alerts).toEqual({ enabled: true, periodMs: 60_000, webhooks: [], webhookSecret: undefined });
  });

  it('reads webhooks, secret, period and off', () => {
    expect(
      loadConfig({
        CALLCAST_ALERT_WEBHOOKS: 'http://a/h, https://b/h',
        CALLCAST_ALERT_WEBHOOK_SECRET: 's',
        CALLCAST_ALERT_PERIOD_S: '15',
        CALLCAST_ALERTS: 'off',
      }).alerts,
    ).toEqual({ enabled: false, periodMs: 15_000, webhooks: ['http://a/h', 'https://b/h'], webhookSecret: 's' });
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ CALLCAST_ALERT_WEBHOOKS: 'ftp://x', CALLCAST_ALERT_WEBHOOK_SECRET: 's' })).toThrow(
      /^CALLCAST_ALERT_WEBHOOKS: expected comma-separated http\(s\) URLs/,
    );
    expect(() => loadConfig({ CALLCAST_ALERT_WEBHOOKS: 'http://x/h' })).toThrow(
      /^CALLCAST_ALERT_WEBHOOK_SECRET: required/,
    );
    expect(() => loadConfig({ CALLCAST_ALERT_PERIOD_S: '2' })).toThrow(ConfigError);
    expect(() => loadConfig({ CALLCAST_ALERTS: 'maybe' })).toThrow(/^CALLCAST_ALERTS: expected one of on, off/);
  });
});
