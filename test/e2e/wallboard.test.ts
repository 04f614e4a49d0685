// The wallboard in a real browser (Debian's chromium via playwright-core): the figures on the
// tiles equal the API's and the hand-worked values, and change live (SSE) when events arrive.
import { mkdirSync } from 'node:fs';
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

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
// The fields of a /v1/realtime queue snapshot this test reads.
interface Snapshot {
  waiting_now: number;
  agents: { available: number; on_contact: number; wrap_up: number };
  today: {
    service_level: { value: number };
    asa_s: number;
    abandon_rate: number;
    aht_s: number;
    nps: number;
    csat_pct: number;
    fcr_survey: number;
    counts: { offered: number };
  };
}

let n = 0;
const id = () => `00000000-0000-4000-9000-${(++n).toString(16).padStart(12, '0')}`;

async function post(events: object[]) {
  const response = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(response.status).toBe(200);
}

const contact = (
  c: string,
  queuedAgo: number,
  outcome?: { answeredAfter?: number; abandonedAfter?: number; talk?: number; hold?: number; wrap?: number },
) => {
  const events: object[] = [
    {
      event_id: id(),
      type: 'contact.queued',
      occurred_at: iso(queuedAgo * 1000),
      contact_id: c,
      queue: 'billing',
      channel: 'voice',
    },
  ];
  if (outcome?.answeredAfter !== undefined) {
    events.push({
      event_id: id(),
      type: 'contact.answered',
      occurred_at: iso((queuedAgo - outcome.answeredAfter) * 1000),
      contact_id: c,
      agent_id: 'a2',
    });
    events.push({
      event_id: id(),
      type: 'contact.completed',
      occurred_at: iso((queuedAgo - outcome.answeredAfter - 1) * 1000),
      contact_id: c,
      agent_id: 'a2',
      talk_s: outcome.talk ?? 0,
      hold_s: outcome.hold ?? 0,
      wrap_s: outcome.wrap ?? 0,
    });
  }
  if (outcome?.abandonedAfter !== undefined) {
    events.push({
      event_id: id(),
      type: 'contact.abandoned',
      occurred_at: iso((queuedAgo - outcome.abandonedAfter) * 1000),
      contact_id: c,
    });
  }
  return events;
};

async function tileText(metric: string): Promise<string> {
  return (await page.locator(`[data-queue="billing"] [data-metric="${metric}"]`).textContent()) ?? '';
}

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { realtimeIntervalMs: 300 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  // "Today" is the queue's local day: near midnight UTC, cut the day in Tokyo (UTC+9, no DST)
  // so that contacts of the last 20 minutes all fall on it.
  const minuteOfDay = Math.floor(Date.now() / 60_000) % 1440;
  if (minuteOfDay < 30 || minuteOfDay > 1410) {
    const response = await app.inject({
      method: 'PUT',
      url: '/v1/queues/billing/settings',
      payload: { time_zone: 'Asia/Tokyo', effective_from: '2000-01-01T00:00:00Z' },
    });
    expect(response.statusCode).toBe(200);
  }
  await post([
    ...contact('e1', 600, { answeredAfter: 10, talk: 100, wrap: 20 }),
    ...contact('e2', 500, { answeredAfter: 30, talk: 200, hold: 10, wrap: 10 }),
    ...contact('e3', 400, { abandonedAfter: 20 }),
    ...contact('e4', 120),
    {
      event_id: id(),
      type: 'survey.submitted',
      occurred_at: iso(100_000),
      contact_id: 'e1',
      nps: 10,
      csat: 5,
      fcr: true,
    },
    {
      event_id: id(),
      type: 'survey.submitted',
      occurred_at: iso(100_000),
      contact_id: 'e2',
      nps: 3,
      csat: 4,
      fcr: false,
    },
    {
      event_id: id(),
      type: 'agent.state',
      occurred_at: iso(1_000_000),
      agent_id: 'a1',
      state: 'available',
      queues: ['billing'],
    },
    {
      event_id: id(),
      type: 'agent.state',
      occurred_at: iso(500_000),
      agent_id: 'a2',
      state: 'on_contact',
      queues: ['billing'],
    },
  ]);
  browser = await openBrowser({ width: 1920, height: 1080 });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await temp?.cleanup();
});

describe('wallboard at /', () => {
  it('shows each figure as the API reports it, worked out by hand', async () => {
    await page.goto(`${base}/`);
    await page.locator('[data-queue="billing"]').waitFor({ timeout: 20_000 });
    const api = ((await (await fetch(`${base}/v1/realtime?queue=billing`)).json()) as { queues: Snapshot[] })
      .queues[0]!;
    // Offered e1–e4; answered e1 (10 s), e2 (30 s); within 20 s: e1; e3 abandoned after 20 s.
    // SL = 1 / 4; ASA = 40 / 2; abandon = 1 / 4; AHT = (120 + 220) / 2; NPS 10, 3 → 0;
    // CSAT 5, 4 → 100 %; survey FCR 1 / 2; no customer ids → no repeat-contact FCR.
    expect(api.today.service_level.value).toBe(0.25);
    const expected: Record<string, string> = {
      sl: '25.0%',
      waiting: '1',
      asa: '0:20',
      abandon: '25.0%',
      available: '1',
      oncontact: '1',
      offered: '4',
      aht: '2:50',
      nps: '0',
      csat: '100.0%',
      fcr: '50.0%',
      fcrrepeat: '—',
    };
    const fromApi: Record<string, string> = {
      sl: `${(api.today.service_level.value * 100).toFixed(1)}%`,
      waiting: String(api.waiting_now),
      asa: `0:${String(Math.round(api.today.asa_s)).padStart(2, '0')}`,
      abandon: `${(api.today.abandon_rate * 100).toFixed(1)}%`,
      available: String(api.agents.available),
      oncontact: String(api.agents.on_contact + api.agents.wrap_up),
      offered: String(api.today.counts.offered),
      aht: `${Math.floor(api.today.aht_s / 60)}:${String(Math.round(api.today.aht_s % 60)).padStart(2, '0')}`,
      nps: String(Math.round(api.today.nps)),
      csat: `${api.today.csat_pct.toFixed(1)}%`,
      fcr: `${(api.today.fcr_survey * 100).toFixed(1)}%`,
      fcrrepeat: '—',
    };
    expect(fromApi).toEqual(expected);
    for (const [metric, text] of Object.entries(expected)) expect(await tileText(metric), metric).toBe(text);
    // e4 has waited about two minutes (m:ss).
    const [m, sec] = (await tileText('longest')).split(':').map(Number);
    const longest = m! * 60 + sec!;
    expect(longest).toBeGreaterThanOrEqual(119);
    expect(longest).toBeLessThan(200);
    // 25 % is more than 5 points under the 80 % target: red.
    expect(await page.locator('[data-queue="billing"]').getAttribute('class')).toContain('bad');
    expect(await page.locator('[data-queue="billing"] svg[data-chart="half-hours"] rect').count()).toBeGreaterThan(0);
  });

  it('changes live when new events arrive (SSE), and keeps a screenshot', async () => {
    // e5 answered in 5 s: offered 5, within T 2 → SL 2 / 5.
    await post(contact('e5', 30, { answeredAfter: 5, talk: 60 }));
    await page.waitForFunction(
      `document.querySelector('[data-queue="billing"] [data-metric="offered"]')?.textContent === '5'`,
      undefined,
      { timeout: 15_000 },
    );
    expect(await tileText('sl')).toBe('40.0%');
    expect(await tileText('waiting')).toBe('1');
    const api = ((await (await fetch(`${base}/v1/realtime?queue=billing`)).json()) as { queues: Snapshot[] })
      .queues[0]!;
    expect(api.today.service_level.value).toBe(0.4);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/wallboard.png', fullPage: true });
  });
});
