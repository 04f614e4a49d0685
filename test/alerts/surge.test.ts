// Done-when proof: four weeks of one simulated queue (billing), then a calm day and a day with
// the simulator's planted surge ("payment failed" ×3 from 10:00 to 12:00 UTC). The evaluator is
// replayed over stored history at its period: the calm day raises no surge alert; the surge
// opens one alert within 15 minutes of onset, which resolves after the surge ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { AlertEvaluator } from '../../src/alerts/evaluator.js';
import { createAlertMetrics } from '../../src/alerts/prometheus.js';
import { replay, type ReplayedChange } from '../../src/alerts/replay.js';
import { parseSurge } from '../../pipelines/simulate/generator.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from '../api/helpers.js';
import { seed } from './seed.js';

const PERIOD_MS = 5 * 60_000;
const onset = '2026-10-13T10:00'; // a Tuesday, billing's morning peak
const surge = { ...parseSurge(`payment failed:3:${onset}`), end: Date.parse('2026-10-13T12:00:00Z') };
const at = (iso: string) => Date.parse(`${iso}Z`);

let temp: TempStore;
let registry: Registry;
let evaluator: AlertEvaluator;
let calm: ReplayedChange[];
let surged: ReplayedChange[];

beforeAll(async () => {
  temp = await openTempStore();
  // 2026-09-14 (Mon) … 2026-10-13 (Tue): four baseline weeks before the calm Monday.
  await seed(temp.store, { days: 30, queues: 1, seed: 11, start: '2026-09-14', surges: [surge] });
  registry = new Registry();
  evaluator = new AlertEvaluator({
    client: temp.store.client,
    periodMs: PERIOD_MS,
    metrics: createAlertMetrics(registry),
  });
  // The calm day over billing's opening hours, every 10 minutes (kept short for npm test; the
  // calm month at scale is bench:alerts); the surge at the evaluator's own period.
  calm = await replay(
    new AlertEvaluator({ client: temp.store.client, periodMs: 10 * 60_000 }),
    at('2026-10-12T08:00'),
    at('2026-10-12T20:00'),
  );
  surged = await replay(evaluator, at('2026-10-13T09:30'), at('2026-10-13T13:00'));
}, 480_000);

afterAll(async () => {
  await temp?.cleanup();
});

describe('surge alerts replayed over simulated history', () => {
  it('raises no surge alert on the calm day', () => {
    expect(calm.filter((c) => c.episode.rule === 'surge').map((c) => c.episode.message)).toEqual([]);
  });

  it('opens one "payment failed" alert within 15 minutes of onset and resolves it after the surge ends', () => {
    const alerts = surged.filter((c) => c.episode.rule === 'surge');
    expect(alerts.map((c) => [c.change, c.episode.queue, c.episode.subject])).toEqual([
      ['opened', 'billing', 'payment failed'],
      ['resolved', 'billing', 'payment failed'],
    ]);
    const [opened, resolved] = alerts as [ReplayedChange, ReplayedChange];
    expect(opened.at).toBeGreaterThan(surge.start);
    expect(opened.at - surge.start).toBeLessThanOrEqual(15 * 60_000);
    expect(resolved.at).toBeGreaterThan(surge.end);
    expect(resolved.episode.id).toBe(opened.episode.id);
    // The alert carries observed vs expected and their ratio, at least "up 100 %" (the default).
    const v = opened.episode.opened_value as {
      observed: number;
      expected: number;
      ratio: number;
      p_value: number;
      p_threshold: number;
    };
    expect(v.ratio).toBeCloseTo(v.observed / v.expected, 10);
    expect(v.ratio).toBeGreaterThanOrEqual(2);
    expect(v.p_value).toBeLessThan(v.p_threshold);
    expect(opened.episode.message).toContain(`${v.observed} customers in the last`);
  });

  it('keeps the episode in the store for GET /v1/alerts and counts it in Prometheus', async () => {
    const app = await metricsApp(temp.store);
    try {
      const response = await app.inject({ url: '/v1/alerts?rule=surge&queue=billing' });
      expect(response.statusCode).toBe(200);
      const alerts = (
        response.json() as { alerts: Array<{ subject: string; opened_at: string; resolved_at: string | null }> }
      ).alerts;
      const opened = surged.find((c) => c.episode.rule === 'surge' && c.change === 'opened')!;
      const resolved = surged.find((c) => c.episode.rule === 'surge' && c.change === 'resolved')!;
      expect(alerts.map((a) => [a.subject, a.opened_at, a.resolved_at])).toEqual([
        ['payment failed', new Date(opened.at).toISOString(), new Date(resolved.at).toISOString()],
      ]);
      const open = await app.inject({ url: '/v1/alerts?state=open&rule=surge' });
      expect((open.json() as { alerts: unknown[] }).alerts).toEqual([]);
      const bad = await app.inject({ url: '/v1/alerts?since=yesterday' });
      expect(bad.statusCode).toBe(400);
      expect((bad.json() as { field: string }).field).toBe('since');
    } finally {
      await app.close();
    }
    const text = await registry.metrics();
    expect(text).toContain('callcast_alerts_opened_total{queue="billing",rule="surge"} 1');
    expect(text).toContain('callcast_alerts_resolved_total{queue="billing",rule="surge"} 1');
  });
});
