// The /agents page in a real browser (Debian's chromium) with agents whose state timed out:
// "unknown" agents come right after those over a limit, longest silence first, ahead of
// wrap-up and breaks within their limits, the other working states and offline (docs/agents.md,
// Order); each shows "unknown" with its last reported state and its silence as time in state.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { openBrowser, type Browser } from '../support/browser.js';
import { metricsApp } from '../api/helpers.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let base: string;
let browser: Browser;
let page: Page;
const NOW = Date.parse('2026-11-02T10:00:00Z');

let n = 0;
const id = () => `00000000-0000-4000-9000-${(++n).toString(16).padStart(12, '0')}`;
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const state = (agent: string, secondsAgo: number, s: string) => ({
  event_id: id(),
  type: 'agent.state',
  occurred_at: ago(secondsAgo),
  agent_id: agent,
  state: s,
  queues: ['billing'],
});

beforeAll(async () => {
  temp = await openTempStore();
  // Silence limit 900 s; default limits: wrap-up 120 s, break 900 s.
  app = await metricsApp(temp.store, { now: () => NOW, realtimeIntervalMs: 300, agentSilenceMs: 900_000 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  const r = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      state('avail', 600, 'available'), // working, 600 s
      state('brk', 300, 'break'), // break within its 900 s limit
      state('wrap', 200, 'wrap_up'), // 80 s over the 120 s wrap-up limit
      state('off', 7200, 'offline'), // offline never times out
      state('silent-long', 1800, 'available'), // silent 1,800 s > 900 s: unknown
      state('silent-short', 1200, 'break'), // silent 1,200 s: unknown (not a break over its limit)
      // "ghost" sent no state: named by a contact it answered 120 s ago, so unknown, silent 120 s.
      {
        event_id: id(),
        type: 'contact.queued',
        occurred_at: ago(150),
        contact_id: 'g1',
        queue: 'billing',
        channel: 'voice',
      },
      { event_id: id(), type: 'contact.answered', occurred_at: ago(120), contact_id: 'g1', agent_id: 'ghost' },
    ]),
  });
  expect(r.status).toBe(200);
  browser = await openBrowser({ width: 1920, height: 1080 });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await temp?.cleanup();
});

describe('the agents page with timed-out states', () => {
  it('draws unknown agents after those over a limit, longest silence first, before everyone else', async () => {
    await page.goto(`${base}/agents`);
    await page.locator('[data-agent]').nth(6).waitFor({ timeout: 20_000 });
    const cards = page.locator('[data-agent]');
    expect(
      await cards.evaluateAll((els) => els.map((e) => [e.getAttribute('data-agent'), e.getAttribute('data-state')])),
    ).toEqual([
      ['wrap', 'wrap_up'],
      ['silent-long', 'unknown'],
      ['silent-short', 'unknown'],
      ['ghost', 'unknown'],
      ['brk', 'break'],
      ['avail', 'available'],
      ['off', 'offline'],
    ]);
    const text = (agent: string, field: string) =>
      page.locator(`[data-agent="${agent}"] [data-field="${field}"]`).textContent();
    // Time in state of an unknown agent is its silence: 30:00, 20:00, 2:00.
    expect(await text('silent-long', 'time')).toBe('30:00');
    expect(await text('silent-long', 'state')).toBe('unknown (last available)');
    expect(await text('silent-short', 'time')).toBe('20:00');
    expect(await text('silent-short', 'state')).toBe('unknown (last break)');
    expect(await text('ghost', 'time')).toBe('2:00');
    expect(await text('ghost', 'state')).toBe('unknown');
    expect(await page.locator('[data-agent="silent-long"]').getAttribute('data-attention')).toBe('unknown');
    expect(await page.locator('[data-agent="wrap"]').getAttribute('class')).toContain('over_limit');
    expect(await page.locator('[data-count="unknown"] b').textContent()).toBe('3');
    expect(await page.locator('[data-count="over_limit"] b').textContent()).toBe('1');
  });
});
