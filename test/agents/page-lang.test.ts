// The /agents page in Chinese and English (Debian's chromium, 1920×1080): ?lang=zh gives the
// Chinese count headings and states, a zh-CN browser gets them without ?lang, ?lang=en wins over it.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from '../api/helpers.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let base: string;
let browser: Browser;
const NOW = Date.parse('2026-11-02T10:00:00Z');

let n = 0;
const id = () => `00000000-0000-4000-c000-${(++n).toString(16).padStart(12, '0')}`;
const STATES = ['available', 'on_contact', 'wrap_up', 'break', 'training', 'offline'] as const;

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { now: () => NOW, realtimeIntervalMs: 300 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  // Agent i (1–12) entered state STATES[i % 6] i × 50 s before now: agent-02 in wrap-up for 100 s
  // (under the default 120 s), agent-08 for 400 s (over), breaks 150 s and 450 s (under 900 s).
  const r = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      Array.from({ length: 12 }, (_, k) => ({
        event_id: id(),
        type: 'agent.state',
        occurred_at: new Date(NOW - (k + 1) * 50_000).toISOString(),
        agent_id: `agent-${String(k + 1).padStart(2, '0')}`,
        state: STATES[(k + 1) % 6],
        queues: ['billing'],
      })),
    ),
  });
  expect(r.status).toBe(200);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await temp?.cleanup();
});

async function open(locale: string, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale });
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  await page.locator('[data-agent]').nth(11).waitFor({ timeout: 20_000 });
  return page;
}

/** The count strip, each as number then heading, in page order. */
async function counts(page: Page): Promise<string[]> {
  return page.locator('#counts [data-count]').allTextContents();
}

describe('the agents page in Chinese and English', () => {
  it('?lang=zh: Chinese headings, states and limits; times stay m:ss', async () => {
    const page = await open('en-US', '/agents?lang=zh');
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await page.locator('#title').textContent()).toBe('Callcast · 坐席');
    // Twelve agents, two per state; offline ones too (heard from within 24 h). Over limit: agent-08 only.
    expect(await counts(page)).toEqual(['1超时', '2空闲', '2通话中', '2话后处理', '2休息', '2培训', '2离线', '0未知']);
    const over = page.locator('[data-agent="agent-08"]');
    expect(await over.locator('[data-field="state"]').textContent()).toBe('话后处理');
    expect(await over.locator('[data-field="time"]').textContent()).toBe('6:40');
    expect(await over.locator('.state').textContent()).toBe('话后处理 · 上限 2:00');
    expect(await page.locator('[data-agent="agent-03"] [data-field="state"]').textContent()).toBe('休息');
    expect(await page.locator('#status').textContent()).toMatch(/^实时 · \d\d:\d\d:\d\d$/);
    expect(await page.evaluate('getComputedStyle(document.body).fontFamily')).toMatch(/^"Noto Sans CJK SC", /);
    await page.context().close();
  });

  it('a zh-CN browser gets Chinese without ?lang; ?lang=en wins over it', async () => {
    const zh = await open('zh-CN', '/agents');
    expect(await zh.evaluate('window.callcastLang')).toBe('zh');
    expect((await counts(zh))[1]).toBe('2空闲');
    await zh.context().close();
    const en = await open('zh-CN', '/agents?lang=en');
    expect(await en.evaluate('document.documentElement.lang')).toBe('en');
    expect(await counts(en)).toEqual([
      '1over limit',
      '2available',
      '2on contact',
      '2wrap-up',
      '2break',
      '2training',
      '2offline',
      '0unknown',
    ]);
    await en.context().close();
  });
});
