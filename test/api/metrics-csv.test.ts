// GET /v1/metrics as CSV (format=csv or Accept: text/csv): one line per row, the JSON keys as
// columns (nested ones joined with a dot), worked by hand for two contacts in the half-hour from
// 09:00: c1 answered after 10 s (talk 100, hold 20, wrap 30), c2 gave up after 40 s (≥ S = 5 s,
// > T = 20 s). Offered 2, answered within T 1, abandoned after T 1; service level 1 ÷ 2 = 0.5
// (÷ answered: 1; answered and abandoned within T ÷ offered: 0.5; ÷ (answered + abandoned after
// T): 0.5), ASA 10, AHT 150, abandon rate 1 ÷ 2; no surveys, no repeat-window contacts (no
// customer), no agent time: those ratios are empty. The next half-hour has no contacts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from './helpers.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
const ev = (n: number, type: string, at: string, fields: object) => ({
  event_id: `00000000-0000-4000-9200-${String(n).padStart(12, '0')}`,
  type,
  occurred_at: `2026-11-02T${at}Z`,
  ...fields,
});

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { now: () => Date.parse('2026-11-02T12:00:00Z') });
  const r = await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: [
      ev(1, 'contact.queued', '09:00:00', { contact_id: 'c1', queue: 'q', channel: 'voice' }),
      ev(2, 'contact.answered', '09:00:10', { contact_id: 'c1', agent_id: 'a' }),
      ev(3, 'contact.completed', '09:02:40', { contact_id: 'c1', agent_id: 'a', talk_s: 100, hold_s: 20, wrap_s: 30 }),
      ev(4, 'contact.queued', '09:10:00', { contact_id: 'c2', queue: 'q', channel: 'voice' }),
      ev(5, 'contact.abandoned', '09:10:40', { contact_id: 'c2' }),
    ],
  });
  expect(r.statusCode, r.body).toBe(200);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

const HEADER = [
  'queue,channel,start,end,start_local,settings_versions,threshold_s,sl_target',
  'counts.offered,counts.answered,counts.answered_within_t,counts.short_abandons,counts.abandoned',
  'counts.abandoned_within_t,counts.abandoned_after_t,counts.waiting,counts.wait_s,counts.handled',
  'counts.talk_s,counts.hold_s,counts.wrap_s,counts.transferred,counts.nps_n,counts.promoters,counts.detractors',
  'counts.csat_n,counts.csat_4_5,counts.fcr_n,counts.fcr_yes,counts.fcr_repeat_eligible,counts.fcr_repeat_resolved',
  'counts.fcr_repeat_pending,counts.busy_s,counts.available_s',
  'service_level.formula,service_level.definition,service_level.value',
  'service_level_by_formula.answered_within_t_over_offered,service_level_by_formula.answered_within_t_over_answered',
  'service_level_by_formula.answered_and_abandoned_within_t_over_offered',
  'service_level_by_formula.answered_within_t_over_answered_and_abandoned_after_t',
  'asa_s,aht_s,avg_talk_s,avg_hold_s,avg_wrap_s,abandon_rate,transfer_rate,nps,csat,csat_pct,fcr_survey,fcr_repeat,occupancy',
].join(',');
const SL = 'answered_within_t_over_offered,answered within T ÷ (offered − short abandons)';
const EXPECTED =
  `${HEADER}\r\n` +
  'q,,2026-11-02T09:00:00.000Z,2026-11-02T09:30:00.000Z,2026-11-02T09:00:00+00:00,0,20,0.8,' +
  '2,1,1,0,1,0,1,0,10,1,100,20,30,0,0,0,0,0,0,0,0,0,0,0,0,0,' +
  `${SL},0.5,0.5,1,0.5,0.5,10,150,100,20,30,0.5,0,,,,,,\r\n` +
  'q,,2026-11-02T09:30:00.000Z,2026-11-02T10:00:00.000Z,2026-11-02T09:30:00+00:00,,20,0.8,' +
  '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,' +
  `${SL},,,,,,,,,,,,,,,,,,\r\n`;
const URL = '/v1/metrics?queue=q&from=2026-11-02T09:00:00Z&to=2026-11-02T10:00:00Z';

describe('GET /v1/metrics as CSV', () => {
  it('format=csv: the rows as RFC 4180 text with the JSON keys as columns', async () => {
    const r = await app.inject({ method: 'GET', url: `${URL}&format=csv` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.body).toBe(EXPECTED);
  });

  it('Accept: text/csv answers the same; format=json keeps JSON whatever Accept says', async () => {
    const csv = await app.inject({ method: 'GET', url: URL, headers: { accept: 'text/csv' } });
    expect(csv.body).toBe(EXPECTED);
    const json = await app.inject({ method: 'GET', url: `${URL}&format=json`, headers: { accept: 'text/csv' } });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect((json.json() as { rows: Array<{ counts: { offered: number } }> }).rows.map((x) => x.counts.offered)).toEqual(
      [2, 0],
    );
  });

  it('refuses an unknown format with 400 naming it', async () => {
    const r = await app.inject({ method: 'GET', url: `${URL}&format=xlsx` });
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatch(/format/);
  });
});
