// Rules API and the wallboard in a real browser: an admin lowers a queue's "waiting" threshold,
// contacts queue up, the evaluator opens an alert that appears on the page (SSE), and the page
// drops it when the episode resolves.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../../src/alerts/evaluator.js';
import { reasonWindowCounts } from '../../src/alerts/queries.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { openBrowser, type Browser } from '../support/browser.js';
import { metricsApp } from '../api/helpers.js';

let temp: TempStore;
let evaluator: AlertEvaluator;
let app: Awaited<ReturnType<typeof metricsApp>>;
let base: string;
let browser: Browser;
let page: Page;

let n = 0;
const id = () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

async function post(events: object[]) {
  const response = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  temp = await openTempStore();
  evaluator = new AlertEvaluator({ client: temp.store.client, periodMs: 60_000 });
  app = await metricsApp(temp.store, { realtimeIntervalMs: 300, alerts: evaluator });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await openBrowser({ width: 1600, height: 900 });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await evaluator?.stop();
  await temp?.cleanup();
});

describe('alert rules API', () => {
  it('overrides only the given fields of a queue and names a bad field', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/alerts/rules/billing',
      payload: { waiting: { above: 2, clear_below: 0 }, clear_after: 1 },
    });
    expect(put.statusCode).toBe(200);
    const body = put.json() as {
      rules: {
        waiting: { enabled: boolean; above: number; clear_below: number };
        clear_after: number;
        surge: { min_increase_pct: number };
      };
      override: object;
    };
    expect(body.rules.waiting).toEqual({ enabled: true, above: 2, clear_below: 0 });
    expect(body.rules.clear_after).toBe(1);
    expect(body.rules.surge.min_increase_pct).toBe(100);
    expect(body.override).toEqual({ waiting: { above: 2, clear_below: 0 }, clear_after: 1 });
    // A second change keeps the first.
    const again = await app.inject({
      method: 'PUT',
      url: '/v1/alerts/rules/billing',
      payload: { surge: { min_increase_pct: 200 } },
    });
    expect((again.json() as { override: object }).override).toEqual({
      waiting: { above: 2, clear_below: 0 },
      clear_after: 1,
      surge: { min_increase_pct: 200 },
    });

    const unknown = await app.inject({
      method: 'PUT',
      url: '/v1/alerts/rules/billing',
      payload: { waiting: { abov: 3 } },
    });
    expect(unknown.statusCode).toBe(400);
    expect((unknown.json() as { field: string }).field).toBe('waiting.abov');
    const negative = await app.inject({
      method: 'PUT',
      url: '/v1/alerts/rules/billing',
      payload: { abandon_rate: { above: 2 } },
    });
    expect(negative.statusCode).toBe(400);
    expect((negative.json() as { field: string }).field).toBe('abandon_rate.above');
    const got = await app.inject({ url: '/v1/alerts/rules/billing' });
    expect((got.json() as { rules: { waiting: { above: number } } }).rules.waiting.above).toBe(2);
  });
});

describe('wallboard alerts', () => {
  it('shows an alert when it opens and removes it when it resolves', async () => {
    await post(
      ['w1', 'w2', 'w3'].map((c, i) => ({
        event_id: id(),
        type: 'contact.queued',
        occurred_at: iso(60_000 - i * 1000),
        contact_id: c,
        queue: 'billing',
        channel: 'voice',
      })),
    );
    await page.goto(`${base}/`);
    await page.locator('[data-queue="billing"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-alert]').count()).toBe(0);

    // Three waiting > 2: the waiting rule fires.
    const first = await evaluator.evaluate(Date.now());
    expect(first.opened.map((e) => [e.queue, e.rule])).toEqual([['billing', 'waiting']]);
    const banner = page.locator('[data-alert-queue="billing"][data-alert-rule="waiting"]');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toContain('billing: 3 contacts waiting (alert above 2)');

    // All three answered: nobody waits, clear_after 1 → resolved at the next evaluation.
    await post(
      ['w1', 'w2', 'w3'].map((c) => ({
        event_id: id(),
        type: 'contact.answered',
        occurred_at: iso(1000),
        contact_id: c,
        agent_id: 'a1',
      })),
    );
    const second = await evaluator.evaluate(Date.now());
    expect(second.resolved.map((e) => e.rule)).toEqual(['waiting']);
    await page.waitForFunction(`document.querySelectorAll('[data-alert]').length === 0`, undefined, {
      timeout: 15_000,
    });

    const history = await app.inject({ url: '/v1/alerts?queue=billing' });
    const alerts = (history.json() as { alerts: Array<{ rule: string; resolved_at: string | null }> }).alerts;
    expect(alerts.map((a) => [a.rule, a.resolved_at !== null])).toEqual([['waiting', true]]);
  });
});

describe('reason counts for the surge test', () => {
  it('counts distinct customers per window, this week and the same window a week earlier', async () => {
    const queued = (c: string, customer: string, at: string) => ({
      event_id: id(),
      type: 'contact.queued',
      occurred_at: at,
      contact_id: c,
      queue: 'rq',
      channel: 'voice',
      customer_id: customer,
      reason: 'billing',
    });
    await post([
      queued('r1', 'A', '2026-10-13T10:00:00Z'), // A twice in the last 15 min: once
      queued('r2', 'A', '2026-10-13T10:10:00Z'),
      { ...queued('r3', '', '2026-10-13T09:50:00Z'), customer_id: undefined }, // no customer: counts as itself, 25 min ago
      queued('r4', 'B', '2026-10-06T10:05:00Z'), // a week earlier, 10 min before the same instant
      queued('r5', 'C', '2026-10-13T10:16:00Z'), // after now: not seen
    ]);
    const counts = await reasonWindowCounts(temp.store.client, ['rq'], Date.parse('2026-10-13T10:15:00Z'), 1, [
      15 * 60_000,
      30 * 60_000,
    ]);
    expect([...counts.get('rq')!.entries()]).toEqual([
      [
        'billing',
        [
          [1, 2],
          [1, 1],
        ],
      ],
    ]);
  });
});
