// The wallboard on a 1920×1080 TV in Debian's chromium: five queues with five open alerts, then
// eight queues — every tile fully on screen and nothing inside a tile cut off; alerts sit in one
// strip and show the value now; hour labels under the half-hour chart; waits as m:ss; survey
// figures with their counts; when the server goes away the figures dim and the header says since
// when and how old the figures are.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../../src/alerts/evaluator.js';
import { configureQueues, expectAllOnScreen, postEvents, TILE_BOXES, tvDay, type Box } from './tv-fixture.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { openBrowser, type Browser } from '../support/browser.js';
import { metricsApp } from '../api/helpers.js';

const QUEUES = ['billing', 'tech-support', 'sales', 'retention', 'general'];
const MORE = ['claims', 'onboarding', 'collections'];
const SHOTS = '/tmp/callcast-wallboard';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let base: string;
let browser: Browser;
let page: Page;
let evaluator: AlertEvaluator;

let n = 0;
const id = () => `00000000-0000-4000-a000-${(++n + 1000).toString(16).padStart(12, '0')}`;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
const day = tvDay('a000');
const post = (events: object[]) => postEvents(base, events);

async function tileBoxes(): Promise<Box[]> {
  return (await page.evaluate(TILE_BOXES)) as Box[];
}

beforeAll(async () => {
  temp = await openTempStore();
  evaluator = new AlertEvaluator({ client: temp.store.client, periodMs: 60_000 });
  app = await metricsApp(temp.store, { realtimeIntervalMs: 300, alerts: evaluator });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  await configure(QUEUES);
  await post(QUEUES.flatMap(day));
  browser = await openBrowser({ width: 1920, height: 1080 });
  page = await browser.context.newPage();
}, 120_000);

const configure = (queues: string[]) => configureQueues(app, queues);

afterAll(async () => {
  await browser?.close();
  await app?.close().catch(() => undefined);
  await evaluator?.stop();
  await temp?.cleanup();
});

describe('wallboard on a 1920×1080 TV', () => {
  it('five queues and five alerts: every tile fully visible, alerts in one strip with their value now', async () => {
    const opened = await evaluator.evaluate(Date.now());
    expect(opened.opened.map((e) => e.queue).sort()).toEqual([...QUEUES].sort());
    await page.goto(`${base}/`);
    await page.locator('[data-queue="general"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-alert], [data-more-alerts]').first().waitFor({ timeout: 15_000 });
    expectAllOnScreen(await tileBoxes(), 5);
    // Three columns, two rows.
    const boxes = await tileBoxes();
    expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(2);
    // The strip is one line; shown chips plus the "+N more" count are the five alerts.
    const strip = await page.locator('#alerts').boundingBox();
    expect(strip!.height).toBeLessThanOrEqual(48);
    const shown = await page.locator('[data-alert]').count();
    const more = Number(
      (await page
        .locator('[data-more-alerts]')
        .getAttribute('data-more-alerts')
        .catch(() => '0')) ?? 0,
    );
    expect(shown + (shown < 5 ? more : 0)).toBe(5);
    const billing = page.locator('[data-alert-queue="billing"] [data-alert-now]');
    expect(await billing.textContent()).toBe('now 2 waiting');
    // A third contact waits in billing: the chip follows the next snapshot, the message keeps the opening value.
    await post([
      {
        event_id: id(),
        type: 'contact.queued',
        occurred_at: iso(5_000),
        contact_id: 'billing-w3',
        queue: 'billing',
        channel: 'voice',
      },
    ]);
    await page.waitForFunction(
      `document.querySelector('[data-alert-queue="billing"] [data-alert-now]')?.textContent === 'now 3 waiting'`,
      undefined,
      { timeout: 15_000 },
    );
    expect(await page.locator('[data-alert-queue="billing"]').textContent()).toContain(
      'billing: 2 contacts waiting (alert above 1)',
    );
    await page.screenshot({ path: `${SHOTS}-5-queues.png` });
  });

  it('waits as m:ss, survey figures with their counts, hour labels under the chart', async () => {
    const tile = page.locator('[data-queue="sales"]');
    // Answered after 65 s: ASA 1:05; handled 100 + 5 + 20 = 125 s: AHT 2:05.
    expect(await tile.locator('[data-metric="asa"]').textContent()).toBe('1:05');
    expect(await tile.locator('[data-metric="aht"]').textContent()).toBe('2:05');
    expect(await tile.locator('[data-metric="longest"]').textContent()).toMatch(/^3:[2-5]\d$/);
    // NPS 10 and 9: 100 from two surveys; CSAT 5 and 4: 100 % from two.
    expect(await tile.locator('[data-metric="nps"]').textContent()).toBe('100');
    expect(await tile.locator('[data-count="nps_n"]').textContent()).toBe('NPS · 2 surveys');
    expect(await tile.locator('[data-count="csat_n"]').textContent()).toBe('CSAT · 2 surveys');
    // 48 half-hours: a label every three hours, 00:00 … 21:00.
    expect(await tile.locator('[data-axis="hours"] span').allTextContents()).toEqual([
      '00:00',
      '03:00',
      '06:00',
      '09:00',
      '12:00',
      '15:00',
      '18:00',
      '21:00',
    ]);
    expect(await page.evaluate('window.callcastFormat.wait(3725)')).toBe('1:02:05');
  });

  it('eight queues still fit, four by two', async () => {
    await configure(MORE);
    await post(MORE.flatMap(day));
    await page.reload();
    await page.locator('[data-queue="collections"]').waitFor({ timeout: 20_000 });
    const boxes = await tileBoxes();
    expectAllOnScreen(boxes, 8);
    expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(2);
    expect(await page.evaluate('document.scrollingElement.scrollHeight')).toBeLessThanOrEqual(1080);
    await page.screenshot({ path: `${SHOTS}-8-queues.png` });
  });

  it('when the server stops, the figures dim and the header says since when and how old they are', async () => {
    await app.close();
    await page.waitForFunction(`document.body.classList.contains('stale')`, undefined, { timeout: 20_000 });
    const status = await page.locator('#status').textContent();
    expect(status).toMatch(/^disconnected since \d\d:\d\d · figures from \d\d:\d\d · /);
    await page.waitForTimeout(500); // the dim transition
    expect(await page.evaluate(`getComputedStyle(document.querySelector('[data-queue="billing"]')).opacity`)).toBe(
      '0.3',
    );
    await page.screenshot({ path: `${SHOTS}-disconnected.png` });
  });
});
