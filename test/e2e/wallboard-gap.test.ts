// The wallboard's staffing-gap row in Debian's chromium at 1920×1080, with five and then eight
// queues, at a fixed instant (11:10 UTC on a Monday): every queue has a forecast of 10 contacts of
// 240 s a half-hour from 09:00, saw 12 in each of the four completed half-hours and has one agent
// available and one on a contact. Worked by hand (as test/staffing/staffing-gap.test.ts): factor
// 1 + 4/(4 + 4) × (48/40 − 1) = 1.1, the current half-hour 10 → 11 contacts, A = 1.4667:
// 3 required (Erlang C, 20 s, 80 %), 2 logged in / 1 available, gap −1, projected SL 40.6 %.
// "sales" has a planner's +20 % edit over 11:00–11:30: 12 → 13.2 contacts, A = 1.76: 4 required,
// gap −2, projected SL 19.2 %. Every row is inside its tile and none of its text is cut short.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAdjustment } from '../../forecasts/job/adjustments.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { seedFlatForecastRun } from '../support/flat-forecast-run.js';
import { openBrowser, type Browser } from '../support/browser.js';
import { metricsApp } from '../api/helpers.js';

const QUEUES = ['billing', 'tech-support', 'sales', 'retention', 'general'];
const MORE = ['claims', 'onboarding', 'collections'];
const DAY = '2026-10-05';
const NOW = Date.parse(`${DAY}T11:10:00Z`);
const SLOTS = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'];
const SHOTS = '/tmp/callcast-wallboard-gap';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let base: string;
let browser: Browser;
let page: Page;
let n = 0;
const id = () => `00000000-0000-4000-a100-${(++n).toString(16).padStart(12, '0')}`;
const iso = (ms: number) => new Date(ms).toISOString();

async function post(events: object[]) {
  const r = await app.inject({ method: 'POST', url: '/v1/events', payload: events });
  expect(r.statusCode, r.body).toBe(200);
}

/** A queue's morning: 12 answered contacts in each completed half-hour, 3 so far in 11:00; two agents. */
async function seedQueue(queue: string) {
  const events: object[] = [];
  SLOTS.slice(0, 5).forEach((s, i) => {
    const start = Date.parse(`${DAY}T${s}:00Z`);
    for (let j = 0; j < (i < 4 ? 12 : 3); j++) {
      const contact = `${queue}-${s}-${j}`;
      const at = start + j * 120_000;
      events.push(
        { event_id: id(), type: 'contact.queued', occurred_at: iso(at), contact_id: contact, queue, channel: 'voice' },
        {
          event_id: id(),
          type: 'contact.answered',
          occurred_at: iso(at + 5000),
          contact_id: contact,
          agent_id: `${queue}-b`,
        },
        {
          event_id: id(),
          type: 'contact.completed',
          occurred_at: iso(at + 65_000),
          contact_id: contact,
          agent_id: `${queue}-b`,
          talk_s: 50,
          hold_s: 0,
          wrap_s: 10,
        },
      );
    }
  });
  const agent = (who: string, state: string) => ({
    event_id: id(),
    type: 'agent.state',
    occurred_at: iso(NOW - 60_000),
    agent_id: `${queue}-${who}`,
    state,
    queues: [queue],
  });
  events.push(agent('a', 'available'), agent('b', 'on_contact'));
  await post(events);

  const c = temp.store.client;
  const run = `run-${queue}`;
  await seedFlatForecastRun(c, { runId: run, queue, day: DAY, slots: SLOTS });
}

// Runs in the page (a string: the project's TypeScript has no DOM types). Per tile: the gap row's
// figures, whether the row and each of its texts lie inside the tile, and texts cut short.
const GAP_ROWS = `[...document.querySelectorAll('[data-queue]')].map((tile) => {
  const r = tile.getBoundingClientRect();
  const row = tile.querySelector('[data-staffing]');
  const inside = (el) => {
    const e = el.getBoundingClientRect();
    return e.height > 0 && e.top >= r.top - 0.5 && e.bottom <= r.bottom + 0.5 && e.left >= r.left - 0.5 && e.right <= r.right + 0.5;
  };
  const texts = [...row.querySelectorAll('b, span')];
  return {
    queue: tile.dataset.queue,
    tile: { top: r.top, left: r.left, bottom: r.bottom, right: r.right },
    figures: Object.fromEntries([...row.querySelectorAll('[data-gap]')].map((b) => [b.dataset.gap, b.textContent])),
    labels: [...row.querySelectorAll('span')].map((s) => s.textContent),
    outside: texts.filter((el) => !inside(el)).map((el) => el.textContent),
    truncated: texts.filter((el) => el.scrollWidth > el.clientWidth + 0.5).map((el) => el.textContent),
  };
})`;

interface GapRow {
  queue: string;
  tile: { top: number; left: number; bottom: number; right: number };
  figures: Record<string, string>;
  labels: string[];
  outside: string[];
  truncated: string[];
}

function expectRows(rows: GapRow[], queues: string[]) {
  expect(rows.map((r) => r.queue).sort()).toEqual([...queues].sort());
  for (const r of rows) {
    expect(r.tile.top, r.queue).toBeGreaterThanOrEqual(0);
    expect(r.tile.left, r.queue).toBeGreaterThanOrEqual(0);
    expect(r.tile.bottom, r.queue).toBeLessThanOrEqual(1080);
    expect(r.tile.right, r.queue).toBeLessThanOrEqual(1920);
    expect(r.outside, r.queue).toEqual([]);
    expect(r.truncated, r.queue).toEqual([]);
    expect(r.labels, r.queue).toEqual(['required 11:00', 'logged in / avail.', 'gap', 'projected SL']);
    expect(r.figures, r.queue).toEqual(
      r.queue === 'sales'
        ? { required: '4', logged_in: '2 / 1', gap: '\u22122', projected_sl: '19.2%' }
        : { required: '3', logged_in: '2 / 1', gap: '\u22121', projected_sl: '40.6%' },
    );
  }
}

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { now: () => NOW, realtimeIntervalMs: 300 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  for (const q of QUEUES) await seedQueue(q);
  await addAdjustment(temp.store.client, {
    queue: 'sales',
    channel: '',
    fromMs: Date.parse(`${DAY}T11:00:00Z`),
    toMs: Date.parse(`${DAY}T11:30:00Z`),
    kind: 'percent',
    value: 20,
    reason: 'mailing lands at 11:00',
    createdBy: 'planner',
    createdAt: NOW - 3_600_000,
  });
  browser = await openBrowser({ width: 1920, height: 1080 });
  page = await browser.context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close().catch(() => undefined);
  await temp?.cleanup();
});

describe('wallboard staffing-gap row on a 1920×1080 TV', () => {
  it('five queues: each tile shows required, logged in / available, gap and projected SL as worked by hand', async () => {
    await page.goto(`${base}/`);
    await page.locator('[data-queue="general"] [data-staffing="yes"]').waitFor({ timeout: 20_000 });
    expectRows((await page.evaluate(GAP_ROWS)) as GapRow[], QUEUES);
    expect(await page.locator('[data-queue="sales"] [data-staffing] .short').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}-5-queues.png` });
  });

  it('eight queues: still four by two, every row fully visible', async () => {
    for (const q of MORE) await seedQueue(q);
    await page.reload();
    await page.locator('[data-queue="collections"] [data-staffing="yes"]').waitFor({ timeout: 20_000 });
    const rows = (await page.evaluate(GAP_ROWS)) as GapRow[];
    expectRows(rows, [...QUEUES, ...MORE]);
    expect(new Set(rows.map((r) => Math.round(r.tile.top))).size).toBe(2);
    expect(await page.evaluate('document.scrollingElement.scrollHeight')).toBeLessThanOrEqual(1080);
    await page.screenshot({ path: `${SHOTS}-8-queues.png` });
  });
});
