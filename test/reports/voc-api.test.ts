// The weekly VOC report end to end on the embedded engine: ten simulated weeks with a planted
// surge, the JSON report against /v1/metrics, surge flagged (and a calm week flags nothing),
// storage and listing, validation, Markdown, and the HTML in headless Chromium — its figures
// read from the DOM equal the JSON API's, it loads nothing from anywhere, and it prints.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { openBrowser, type Browser } from '../support/browser.js';
import { metricsApp } from '../api/helpers.js';
import { HOSTILE_COMMENT, HOSTILE_REASON, seedReportHistory } from './seed.js';
import type { VocReport } from '../../src/reports/types.js';
import { startReportScheduler } from '../../src/reports/weekly-timer.js';
import { until } from '../support/poll.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
// Thursday of 2026-W50: every repeat-contact window of W47 has closed.
const NOW = Date.parse('2026-12-10T00:00:00Z');
const get = (url: string) => app.inject({ method: 'GET', url });
let w47: VocReport;

beforeAll(async () => {
  temp = await openTempStore();
  await seedReportHistory(temp.store);
  app = await metricsApp(temp.store, { now: () => NOW });
  const first = await get('/v1/reports/voc?week=2026-W47');
  expect(first.statusCode).toBe(200);
  expect(first.headers['x-report-source']).toBe('built-and-stored');
  w47 = first.json();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

// Second totals are float sums that ClickHouse may add in any order: equal to 1e-9 relative.
function expectSameCounts(actual: Record<string, number>, expected: Record<string, number>) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) {
    if (k.endsWith('_s')) expect(actual[k]!, k).toBeCloseTo(v, 6);
    else expect(actual[k], k).toBe(v);
  }
}

const metrics = async (query: string) => {
  const response = await get(`/v1/metrics?${query}`);
  expect(response.statusCode).toBe(200);
  return response.json();
};

describe('GET /v1/reports/voc (JSON)', () => {
  it('covers ISO week 47 in UTC across all queues, with a 12-week trend', () => {
    expect(w47).toMatchObject({
      kind: 'voc',
      week: '2026-W47',
      queue: null,
      time_zone: 'UTC',
      from: '2026-11-16T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
    });
    expect(w47.trend.map((t) => t.week)).toEqual(Array.from({ length: 12 }, (_, i) => `2026-W${36 + i}`));
    expect(w47.trend.slice(0, 2).map((t) => t.counts.offered)).toEqual([0, 0]); // before the simulated history
  });

  it('has the figures of /v1/metrics for the same weeks, with the counts behind them', async () => {
    const m = await metrics('from=2026-11-09&to=2026-11-22&interval=1w&tz=UTC');
    const [w46, now] = m.rows;
    const last = w47.trend.at(-1)!;
    expectSameCounts(last.counts, now.counts);
    expect([last.nps, last.csat_pct, last.fcr_survey, last.fcr_repeat]).toEqual([
      now.nps,
      now.csat_pct,
      now.fcr_survey,
      now.fcr_repeat,
    ]);
    expect(last.aht_s!).toBeCloseTo(now.aht_s, 9);
    expect(last.service_level).toEqual(now.service_level);
    expectSameCounts(w47.trend.at(-2)!.counts, w46.counts);
    const h = w47.headline;
    expect([h.nps.value, h.nps.n, h.nps.previous, h.nps.previous_n]).toEqual([
      now.nps,
      now.counts.nps_n,
      w46.nps,
      w46.counts.nps_n,
    ]);
    expect([h.csat_pct.value, h.csat_pct.n]).toEqual([now.csat_pct, now.counts.csat_n]);
    expect([h.fcr_survey.value, h.fcr_survey.n]).toEqual([now.fcr_survey, now.counts.fcr_n]);
    expect([h.fcr_repeat.value, h.fcr_repeat.n, h.fcr_repeat.pending]).toEqual([
      now.fcr_repeat,
      now.counts.fcr_repeat_eligible,
      0,
    ]);
    // Every contact has one reason: the reasons add up to the week's offered and handled.
    expect(w47.reasons.reduce((s, r) => s + r.offered, 0)).toBe(now.counts.offered);
    expect(w47.reasons.reduce((s, r) => s + r.handled, 0)).toBe(now.counts.handled);
  });

  it('names the service-level formula per queue as /v1/metrics does, and the days it was missed', async () => {
    const billing = await metrics('queue=billing&from=2026-11-16&to=2026-11-22&interval=1d&tz=UTC');
    const sl = w47.service_level.find((q) => q.queue === 'billing')!;
    expect(sl.service_level).toEqual(billing.total.service_level);
    expect(sl.service_level.formula).toBe('answered_within_t_over_offered');
    expect([sl.sl_target, sl.threshold_s, sl.offered]).toEqual([0.8, 20, billing.total.counts.offered]);
    const missed = billing.rows.filter(
      (d: { service_level: { value: number | null } }) => d.service_level.value !== null && d.service_level.value < 0.8,
    );
    expect(sl.missed_days).toEqual(
      missed.map((d: { start: string; service_level: { value: number }; counts: { offered: number } }) => ({
        date: d.start.slice(0, 10),
        value: d.service_level.value,
        offered: d.counts.offered,
      })),
    );
    expect(sl.met).toBe(billing.total.service_level.value >= 0.8);
    // The hostile queue's one contact waited 50 s > T = 20 s.
    expect(w47.service_level.find((q) => q.queue === 'hostile')).toMatchObject({
      offered: 1,
      met: false,
      service_level: { value: 0 },
      half_hours_below_target: 1,
    });
  });

  it('flags the planted surge, and only it, with what customers said about it', () => {
    expect(w47.reasons.filter((r) => r.surge).map((r) => r.reason)).toEqual(['payment failed']);
    const surge = w47.surges[0]!;
    expect(surge.ratio!).toBeGreaterThan(2);
    expect(surge.p_adjusted!).toBeLessThan(1e-6);
    expect(surge.voice!.comments.length).toBeGreaterThan(0);
    expect(surge.voice!.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['payment', 'failed']));
    expect(w47.reasons[0]!.reason).toBe('payment failed'); // the surge made it the top reason
    expect(w47.voice[0]!.reason).toBe('payment failed');
  });

  it('a calm week (W46) flags nothing', async () => {
    const response = await get('/v1/reports/voc?week=2026-W46&queue=billing');
    expect(response.statusCode).toBe(200);
    const w46: VocReport = response.json();
    expect(w46.surges).toEqual([]);
    expect(w46.reasons.filter((r) => r.surge)).toEqual([]);
    expect(w46.reasons.every((r) => r.p_adjusted !== null && r.p_adjusted > 0.01)).toBe(true);
  });

  it('stores finished weeks, reads them back, lists them; a running week is built but not stored', async () => {
    const again = await get('/v1/reports/voc?week=2026-W47');
    expect(again.headers['x-report-source']).toBe('stored');
    expect(again.json()).toEqual(w47);
    const running = await get('/v1/reports/voc?week=2026-W50&queue=billing');
    expect(running.headers['x-report-source']).toBe('built');
    const list = (await get('/v1/reports')).json();
    expect(
      list.reports.map((r: { week: string; queue: string | null; trigger: string }) => [r.week, r.queue, r.trigger]),
    ).toEqual([
      ['2026-W47', null, 'api'],
      ['2026-W46', 'billing', 'api'],
    ]);
    expect(list.reports[0].links.html).toBe('/v1/reports/voc?week=2026-W47&format=html');
  });

  it('answers 400 naming the field for a bad week or format', async () => {
    for (const [url, field, message] of [
      ['/v1/reports/voc?week=2026-47', 'week', 'week: expected an ISO week like 2026-W47, got "2026-47"'],
      ['/v1/reports/voc?week=2025-W53', 'week', 'week: expected an ISO week like 2026-W47, got "2025-W53"'],
      ['/v1/reports/voc?week=2027-W10', 'week', 'week: 2027-W10 has not started yet'],
    ] as const) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toMatchObject({ field, error: message });
    }
    const missing = await get('/v1/reports/voc');
    expect([missing.statusCode, missing.json().field]).toEqual([400, 'week']);
    const format = await get('/v1/reports/voc?week=2026-W47&format=pdf');
    expect([format.statusCode, format.json().field]).toEqual([400, 'format']);
  });
});

describe('Markdown and HTML', () => {
  it('Markdown for chat tools: headline, surge, hostile text escaped', async () => {
    const md = await get('/v1/reports/voc?week=2026-W47&queue=hostile&format=md');
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.body).toContain('# Voice of the customer — 2026-W47 (queue hostile)');
    expect(md.body).toContain(
      '> &lt;script&gt;alert("x")&lt;/script&gt; \\| \\*\\*ignore\\*\\* \\[this\\](javascript:alert(1))',
    );
    expect(md.body).not.toContain('<script');
    const all = (await get('/v1/reports/voc?week=2026-W47&format=md')).body;
    expect(all).toContain(`- **payment failed**: ${w47.surges[0]!.offered} contacts vs `);
  });

  it('HTML is self-contained: no URL, no script, hostile reason and comment escaped', async () => {
    const response = await get('/v1/reports/voc?week=2026-W47&queue=hostile&format=html');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body;
    expect(html.match(/url\((?!#)/g), 'url( other than a same-page #fragment').toBeNull();
    for (const forbidden of ['http:', 'https:', '<script', '@import', '<link', '<img', '<iframe', '<object'])
      expect(html, forbidden).not.toContain(forbidden);
    // No tag carries an attribute that could load something.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.length).toBeGreaterThan(100);
    const names = tags.map((t) => t.replace(/"[^"]*"/g, '""')); // attribute names only, not (escaped) values
    expect(names.filter((t) => /\s(src|href|xlink:href|srcset|action|poster|data)\s*=/i.test(t))).toEqual([]);
    expect(names.filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.match(/<svg/g)).toHaveLength(2);
  });
});

describe('HTML in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser({ width: 1100, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders, requests nothing, and shows the figures of the JSON API', async () => {
    const html = (await get('/v1/reports/voc?week=2026-W47&format=html')).body;
    const api: VocReport = (await get('/v1/reports/voc?week=2026-W47')).json();
    const page = await browser.context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const dialogs: string[] = [];
    page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
    await page.setContent(html, { waitUntil: 'load' });
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
    const num = (s: string | null) => (s === '' || s === null ? null : Number(s));

    const headline = await page.$$eval('tr[data-figure]', (rows) =>
      rows.map((r) => [
        r.getAttribute('data-figure'),
        Object.fromEntries(
          [...r.querySelectorAll('[data-field]')].map((c) => [
            c.getAttribute('data-field'),
            c.getAttribute('data-value'),
          ]),
        ),
      ]),
    );
    for (const [key, fields] of headline as Array<[keyof VocReport['headline'], Record<string, string>]>) {
      const h = api.headline[key];
      expect(
        [
          num(fields.value!),
          num(fields.n!),
          num(fields.previous!),
          num(fields.change!),
          num(fields.p_value!),
          fields.significant,
        ],
        key,
      ).toEqual([h.value, h.n, h.previous, h.change, h.p_value, String(h.significant)]);
    }
    expect(headline.map(([k]) => k)).toEqual(['nps', 'csat_pct', 'fcr_survey', 'fcr_repeat']);

    const cells = (selector: string, key: string) =>
      page.$$eval(
        selector,
        (rows, k) =>
          rows.map((r) => [
            r.getAttribute(k),
            Object.fromEntries(
              [...r.querySelectorAll('[data-field]')].map((c) => [
                c.getAttribute('data-field'),
                c.getAttribute('data-value'),
              ]),
            ),
          ]),
        key,
      );
    const trend = (await cells('tr[data-week]', 'data-week')) as Array<[string, Record<string, string>]>;
    expect(trend.map(([w]) => w)).toEqual(api.trend.map((t) => t.week));
    trend.forEach(([, f], i) => {
      const t = api.trend[i]!;
      expect([
        num(f.offered!),
        num(f.nps!),
        num(f.nps_n!),
        num(f.csat_pct!),
        num(f.fcr_survey!),
        num(f.fcr_repeat!),
        num(f.aht_s!),
        num(f.service_level!),
      ]).toEqual([
        t.counts.offered,
        t.nps,
        t.counts.nps_n,
        t.csat_pct,
        t.fcr_survey,
        t.fcr_repeat,
        t.aht_s,
        t.service_level.value,
      ]);
    });

    const reasons = (await cells('tr[data-reason]', 'data-reason')) as Array<[string, Record<string, string>]>;
    expect(reasons.map(([r]) => r)).toEqual(api.reasons.map((r) => r.reason));
    expect(reasons.map(([r]) => r)).toContain(HOSTILE_REASON); // shown as text, not as markup
    reasons.forEach(([, f], i) => {
      const r = api.reasons[i]!;
      expect([num(f.offered!), num(f.expected!), num(f.p_adjusted!), num(f.aht_s!), num(f.detractor_share!)]).toEqual([
        r.offered,
        r.expected,
        r.p_adjusted,
        r.aht_s,
        r.detractor_share,
      ]);
    });
    expect(
      await page.locator('[data-surge]').evaluateAll((els) => els.map((e) => e.getAttribute('data-surge'))),
    ).toEqual(['payment failed']);

    const queues = (await cells('tr[data-queue]', 'data-queue')) as Array<[string, Record<string, string>]>;
    expect(queues.map(([q, f]) => [q, num(f.service_level!), num(f.sl_target!), f.met, num(f.offered!)])).toEqual(
      api.service_level.map((q) => [q.queue, q.service_level.value, q.sl_target, String(q.met), q.offered]),
    );
    // The visible text agrees with the value it carries.
    const npsText = await page.locator('tr[data-figure="nps"] [data-field="value"]').textContent();
    expect(npsText).toBe(api.headline.nps.value!.toFixed(1));
    expect(await page.locator('svg').count()).toBe(2);

    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/voc-report.png', fullPage: true });
    const pdf = await page.pdf({ format: 'A4', path: 'test-artifacts/voc-report.pdf' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('the hostile queue report runs no script and keeps the comment as text', async () => {
    const html = (await get('/v1/reports/voc?week=2026-W47&queue=hostile&format=html')).body;
    const page = await browser.context.newPage();
    let dialogs = 0;
    page.on('dialog', (d) => (dialogs++, void d.dismiss()));
    await page.setContent(html, { waitUntil: 'load' });
    expect(await page.locator('[data-voice] blockquote').first().textContent()).toContain(HOSTILE_COMMENT);
    expect(await page.locator('script, img').count()).toBe(0);
    expect(dialogs).toBe(0);
    await page.close();
  });
});

describe('weekly schedule', () => {
  it('at the scheduled time builds the week just ended (all queues) afresh and stores it', async () => {
    // A clock 400 ms before Monday 2026-11-23 06:00 UTC, running at real speed.
    const t0 = Date.now();
    const clock = () => Date.parse('2026-11-23T05:59:59.600Z') + (Date.now() - t0);
    const logged: string[] = [];
    const log = {
      info: (_: object, m: string) => logged.push(m),
      error: (o: object, m: string) => logged.push(`${m} ${JSON.stringify(o)}`),
    };
    const scheduler = startReportScheduler(temp.store.client, { weekday: 0, hour: 6, minute: 0 }, log, clock);
    expect(new Date(scheduler.next()).toISOString()).toBe('2026-11-23T06:00:00.000Z');
    await until('the scheduled report', 60_000, () => logged.length > 0);
    await scheduler.stop();
    expect(logged).toEqual(['weekly VOC report produced']);
    const list = (await get('/v1/reports')).json();
    expect(list.reports[0]).toMatchObject({ week: '2026-W47', queue: null, trigger: 'schedule' });
    const stored: VocReport = (await get('/v1/reports/voc?week=2026-W47')).json();
    expect(stored.generated_at.slice(0, 16)).toBe('2026-11-23T06:00');
    // Made on Monday morning, the last week's repeat-contact windows are still open.
    expect(stored.headline.fcr_repeat.pending).toBeGreaterThan(0);
    expect(stored.notes[0]).toMatch(/^Repeat-contact FCR leaves out \d+ contacts whose repeat window had not closed/);
  });
});

describe('a queue with its own time zone', () => {
  it('cuts the week in the queue time zone, as /v1/metrics does', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/queues/billing/settings',
      payload: { time_zone: 'Asia/Tokyo', effective_from: '2000-01-01T00:00:00Z' },
    });
    expect(put.statusCode).toBe(200);
    const report: VocReport = (await get('/v1/reports/voc?week=2026-W47&queue=billing')).json();
    expect(report).toMatchObject({
      queue: 'billing',
      time_zone: 'Asia/Tokyo',
      from: '2026-11-15T15:00:00.000Z',
      to: '2026-11-22T15:00:00.000Z',
    });
    const m = await metrics('queue=billing&from=2026-11-09&to=2026-11-22&interval=1w');
    expect([m.time_zone, m.from]).toEqual(['Asia/Tokyo', '2026-11-08T15:00:00.000Z']);
    expectSameCounts(report.trend.at(-1)!.counts, m.rows[1].counts);
    expectSameCounts(report.trend.at(-2)!.counts, m.rows[0].counts);
    expect(report.service_level[0]!.service_level).toEqual(m.rows[1].service_level);
    expect(report.reasons.reduce((s, r) => s + r.offered, 0)).toBe(m.rows[1].counts.offered);
  });
});
