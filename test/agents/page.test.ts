// The /agents page in a real browser (Debian's chromium) at 1920×1080 with 60 agents: every
// agent on one screen without scrolling, in the API's attention order, each card's figures as
// the API gives them, and a live change arriving through the stream.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { openBrowser, type Browser } from '../support/browser.js';
import { metricsApp } from '../api/helpers.js';
import type { LiveAgents } from '../../src/agents/live.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let base: string;
let browser: Browser;
let page: Page;
const NOW = Date.parse('2026-11-02T10:00:00Z');

let n = 0;
const id = () => `00000000-0000-4000-9000-${(++n).toString(16).padStart(12, '0')}`;
const STATES = ['available', 'on_contact', 'wrap_up', 'break', 'training', 'offline'] as const;

async function post(events: object[]) {
  const r = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(r.status).toBe(200);
}

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { now: () => NOW, realtimeIntervalMs: 300 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  // Agent i (1–60) entered state STATES[i % 6] i × 10 s before now, serving billing.
  await post(
    Array.from({ length: 60 }, (_, k) => ({
      event_id: id(),
      type: 'agent.state',
      occurred_at: new Date(NOW - (k + 1) * 10_000).toISOString(),
      agent_id: `agent-${String(k + 1).padStart(2, '0')}`,
      state: STATES[(k + 1) % 6],
      queues: ['billing'],
    })),
  );
  browser = await openBrowser({ width: 1920, height: 1080 });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await temp?.cleanup();
});

describe('the agents page at /agents', () => {
  it('shows all 60 agents on one 1920×1080 screen, in attention order, as the API reports them', async () => {
    await page.goto(`${base}/agents`);
    await page.locator('[data-agent]').nth(59).waitFor({ timeout: 20_000 });
    const api = (await (await fetch(`${base}/v1/agents`)).json()) as LiveAgents;
    expect(api.agents).toHaveLength(60);
    // Wrap-up over the default 120 s limit: agents 14, 20, …, 56 (140 s … 560 s); breaks over
    // 900 s: none (the longest is 570 s). Largest excess first: agent-56 (440 s over).
    const over = api.agents.filter((a) => a.attention === 'over_limit').map((a) => a.agent_id);
    expect(over).toEqual([
      'agent-56',
      'agent-50',
      'agent-44',
      'agent-38',
      'agent-32',
      'agent-26',
      'agent-20',
      'agent-14',
    ]);
    const cards = page.locator('[data-agent]');
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-agent')))).toEqual(
      api.agents.map((a) => a.agent_id),
    );
    // Every card lies inside the viewport: nothing needs scrolling (read in one go: the stream redraws).
    const boxes = await cards.evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { id: e.getAttribute('data-agent'), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      }),
    );
    expect(boxes).toHaveLength(60);
    const outside = boxes.filter((b) => b.left < 0 || b.top < 0 || b.right > 1920 || b.bottom > 1080);
    expect(outside).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBeLessThanOrEqual(1080);
    // agent-56: wrap-up for 560 s → "9:20", red; agent-01 (on contact for 10 s) → "0:10".
    const first = page.locator('[data-agent="agent-56"]');
    expect(await first.getAttribute('class')).toContain('over_limit');
    expect(await first.locator('[data-field="time"]').textContent()).toBe('9:20');
    expect(await first.locator('[data-field="state"]').textContent()).toBe('wrap-up');
    expect(await page.locator('[data-agent="agent-01"] [data-field="time"]').textContent()).toBe('0:10');
    expect(await page.locator('[data-count="over_limit"] b').textContent()).toBe('8');
    expect(await page.locator('[data-count="offline"] b').textContent()).toBe('10');
  });

  it('changes live when an agent changes state (SSE), and keeps a screenshot', async () => {
    // agent-01 (on a contact since 09:59:50) goes on a break at 10:00:00: 0 s in state.
    await post([
      {
        event_id: id(),
        type: 'agent.state',
        occurred_at: new Date(NOW).toISOString(),
        agent_id: 'agent-01',
        state: 'break',
        queues: ['billing'],
      },
    ]);
    await page.waitForFunction(
      `document.querySelector('[data-agent="agent-01"] [data-field="state"]')?.textContent === 'break'`,
      undefined,
      { timeout: 15_000 },
    );
    expect(await page.locator('[data-agent="agent-01"] [data-field="time"]').textContent()).toBe('0:00');
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/agents.png' });
  });
});
