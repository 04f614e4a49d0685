// The wallboard in Chinese and English in Debian's chromium at 1920×1080: ?lang=zh with eight
// queues and eight open alerts shows the Chinese words (tiles, staffing row, alert strip, header)
// and every tile stays fully on screen with nothing inside cut off; a browser whose language is
// zh-CN gets Chinese without ?lang; ?lang=en wins over a zh-CN browser; the disconnected header
// in Chinese.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../../src/alerts/evaluator.js';
import { configureQueues, expectAllOnScreen, postEvents, TILE_BOXES, tvDay, type Box } from './tv-fixture.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from '../api/helpers.js';

const QUEUES = ['billing', 'tech-support', 'sales', 'retention', 'general', 'claims', 'onboarding', 'collections'];
const VIEWPORT = { width: 1920, height: 1080 };

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let base: string;
let browser: Browser;
let evaluator: AlertEvaluator;

const day = tvDay('b000');
const post = (events: object[]) => postEvents(base, events);

/** A fresh page in a context whose browser language is `locale` (navigator.languages and Accept-Language). */
async function openPage(locale: string, path: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale });
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  await page.locator('[data-queue="collections"]').waitFor({ timeout: 20_000 });
  return { context, page };
}

beforeAll(async () => {
  temp = await openTempStore();
  evaluator = new AlertEvaluator({ client: temp.store.client, periodMs: 60_000 });
  app = await metricsApp(temp.store, { realtimeIntervalMs: 300, alerts: evaluator });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  await configureQueues(app, QUEUES);
  await post(QUEUES.flatMap(day));
  const opened = await evaluator.evaluate(Date.now());
  expect(opened.opened.map((e) => e.queue).sort()).toEqual([...QUEUES].sort());
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close().catch(() => undefined);
  await evaluator?.stop();
  await temp?.cleanup();
});

describe('the wallboard in Chinese and English', () => {
  it('?lang=zh, eight queues and eight alerts at 1920×1080: Chinese words, every tile fully visible', async () => {
    const { context, page } = await openPage('en-US', '/?lang=zh');
    await page.locator('[data-alert] [data-alert-now]').first().waitFor({ timeout: 15_000 });
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await page.locator('#title').textContent()).toBe('Callcast · 今日');
    expect(await page.title()).toBe('Callcast 实时看板');
    // The CJK stack is named first for Chinese.
    expect(await page.evaluate('getComputedStyle(document.body).fontFamily')).toMatch(/^"Noto Sans CJK SC", /);
    const tile = page.locator('[data-queue="sales"]');
    expect(await tile.locator('[data-label="waiting"]').textContent()).toBe('排队中');
    expect(await tile.locator('[data-label="longest"]').textContent()).toBe('最长等待');
    expect(await tile.locator('[data-label="abandon"]').textContent()).toBe('放弃率');
    // Two surveys each: NPS 10 and 9 → 100; CSAT 5 and 4.
    expect(await tile.locator('[data-count="nps_n"]').textContent()).toBe('NPS · 2 份调查');
    expect(await tile.locator('[data-count="csat_n"]').textContent()).toBe('CSAT · 2 份调查');
    expect(await tile.locator('[data-metric="nps"]').textContent()).toBe('100');
    // Waits stay m:ss: answered after 65 s → 1:05; handled 100 + 5 + 20 = 125 s → 2:05.
    expect(await tile.locator('[data-metric="asa"]').textContent()).toBe('1:05');
    expect(await tile.locator('[data-metric="aht"]').textContent()).toBe('2:05');
    // Default target 80 % within 20 s.
    expect(await tile.locator('[data-label="target"]').textContent()).toBe('服务水平 · 目标 80.0%20 秒内接听');
    // No forecast: the staffing row says so.
    expect(await tile.locator('[data-label="required"]').textContent()).toBe('无预测');
    expect(await tile.locator('[data-label="logged_in"]').textContent()).toBe('已登录 / 空闲');
    expect((await tile.locator('[data-axis="hours"] span').allTextContents()).slice(0, 3)).toEqual([
      '00:00',
      '03:00',
      '06:00',
    ]);
    // The alert strip: two waiting in billing now, opened at a clock time.
    const chip = page.locator('[data-alert-queue="billing"]');
    expect(await chip.locator('[data-alert-now]').textContent()).toBe('当前 2 人排队');
    expect(await chip.locator('[data-alert-since]').textContent()).toMatch(/^\d\d:\d\d 起$/);
    const shown = await page.locator('[data-alert]').count();
    const more = page.locator('[data-more-alerts]');
    if (shown < 8) {
      expect(await more.textContent()).toBe(`另有 ${8 - shown} 条 (GET /v1/alerts)`);
    } else {
      expect(await more.count()).toBe(0);
    }
    expect((await page.locator('#alerts').boundingBox())!.height).toBeLessThanOrEqual(48);
    expect(await page.locator('#status').textContent()).toMatch(/^实时 · \d\d:\d\d:\d\d$/);
    // Every tile fully on screen, four by two, nothing scrolls.
    const boxes = (await page.evaluate(TILE_BOXES)) as Box[];
    expectAllOnScreen(boxes, 8);
    expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(2);
    expect(await page.evaluate('document.scrollingElement.scrollHeight')).toBeLessThanOrEqual(1080);
    await page.screenshot({ path: '/tmp/callcast-wallboard-zh-8-queues.png' });
    await context.close();
  });

  it('a zh-CN browser without ?lang gets Chinese', async () => {
    const { context, page } = await openPage('zh-CN', '/');
    expect(await page.evaluate('window.callcastLang')).toBe('zh');
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await page.locator('#title').textContent()).toBe('Callcast · 今日');
    expect(await page.locator('[data-queue="billing"] [data-label="offered"]').textContent()).toBe('来电量');
    await context.close();
  });

  it('?lang=en wins over a zh-CN browser', async () => {
    const { context, page } = await openPage('zh-CN', '/?lang=en');
    expect(await page.evaluate('window.callcastLang')).toBe('en');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    expect(await page.locator('#title').textContent()).toBe('Callcast · today');
    const tile = page.locator('[data-queue="billing"]');
    expect(await tile.locator('[data-label="waiting"]').textContent()).toBe('waiting now');
    expect(await tile.locator('[data-count="nps_n"]').textContent()).toBe('NPS · 2 surveys');
    expect(await tile.locator('[data-label="target"]').textContent()).toBe(
      'service level · target 80.0%answered within 20 s',
    );
    await page.locator('[data-alert-queue="billing"] [data-alert-now]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-alert-queue="billing"] [data-alert-now]').textContent()).toBe('now 2 waiting');
    await context.close();
  });

  it('?lang=zh when the server stops: dimmed, the header says since when and how old the figures are, in Chinese', async () => {
    const { context, page } = await openPage('en-US', '/?lang=zh');
    await app.close();
    await page.waitForFunction(`document.body.classList.contains('stale')`, undefined, { timeout: 20_000 });
    expect(await page.locator('#status').textContent()).toMatch(/^\d\d:\d\d 起连接中断 · 数据来自 \d\d:\d\d · /);
    await context.close();
  });
});
