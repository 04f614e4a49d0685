// The contact panels read the rollup where it can answer and compute the rest per contact, as
// GET /v1/metrics does: on a simulated week rolled up to Thursday noon (the rest live), the panel
// figures equal the from-scratch API figures; a rolled row changed by hand shows in the panel
// (so the rollup is what is read) until a retroactive settings change makes it stale, when the
// panel falls back to the per-contact computation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { OFFERED_BY_HALF_HOUR_SQL, QUEUE_TOTALS_SQL, SL_BY_HALF_HOUR_SQL } from '../../dashboards/service-level.js';
import { BY_QUEUE_SQL } from '../../dashboards/customer-experience.js';
import { ACTUAL_SQL } from '../../dashboards/forecast.js';
import { queryMetricsFromScratch } from '../../src/metrics/query.js';
import { reroll } from '../../src/metrics/rollup.js';
import { saveSettings } from '../../src/metrics/settings.js';
import { expandPanelSql } from './expand.js';
import { DAY_MS, START_MS, seedEvents } from './seed.js';

const WEEK = { fromMs: START_MS, toMs: START_MS + 7 * DAY_MS };
/** Rolled up to here (settled = 2 h before the roll's now); live after. */
const ROLL_NOW = START_MS + 3.5 * DAY_MS;
/** Tuesday 10:00 UTC, a rolled half-hour. */
const TAMPERED = START_MS + DAY_MS + 10 * 3_600_000;

let t: TempStore;

beforeAll(async () => {
  t = await openTempStore();
  await seedEvents(t.store);
  const r = await reroll(t.store.client, { now: ROLL_NOW });
  expect(r.settled_to).toBe(ROLL_NOW - 2 * 3_600_000);
});
afterAll(async () => t?.cleanup());

const num = (v: unknown) => Number(v);

async function panel(sql: string, range = WEEK, queue = ['billing']) {
  const query = expandPanelSql(sql, {
    ...range,
    intervalMs: 1_800_000,
    variables: { queue, channel: ['voice', 'chat', 'email', 'messaging'], tz: 'UTC' },
  });
  return await (await t.store.client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
}

const scratch = (interval: '30m' | '1d' | '1w') =>
  queryMetricsFromScratch(t.store.client, {
    queue: 'billing',
    from: WEEK.fromMs,
    to: WEEK.toMs,
    interval,
    tz: 'UTC',
    now: Date.now(),
  });

async function expectTotalsMatchScratch() {
  const api = await scratch('1w');
  const [row] = await panel(QUEUE_TOTALS_SQL);
  const c = api.total.counts;
  expect(c.offered).toBeGreaterThan(300);
  expect(
    [row!.offered, row!.answered, row!.answered_within_t, row!.short_abandons, row!.abandoned, row!.handled].map(num),
  ).toEqual([c.offered, c.answered, c.answered_within_t, c.short_abandons, c.abandoned, c.handled]);
  expect(num(row!.service_level)).toBeCloseTo(api.total.service_level.value!, 12);
  expect(num(row!.asa_s)).toBeCloseTo(api.total.asa_s!, 9);
  expect(num(row!.aht_s)).toBeCloseTo(api.total.aht_s!, 9);
  expect(num(row!.abandon_rate)).toBeCloseTo(api.total.abandon_rate!, 12);
}

describe('contact panels over a half-rolled week', () => {
  it('queue totals equal the from-scratch figures', expectTotalsMatchScratch);

  it('service level per half-hour equals the from-scratch half-hour rows, rolled and live alike', async () => {
    const api = await scratch('30m');
    const rows = await panel(SL_BY_HALF_HOUR_SQL);
    const apiRows = api.rows.filter((r) => r.counts.offered > 0);
    expect(rows.map((r) => `${String(r.time).replace(' ', 'T')}.000Z`)).toEqual(apiRows.map((r) => r.start));
    rows.forEach((r, i) => {
      const expected = apiRows[i]!.service_level.value;
      if (expected === null) expect(r.service_level).toBeNull();
      else expect(num(r.service_level)).toBeCloseTo(expected, 12);
    });
    // Both parts are there: half-hours before and after the settled end.
    expect(apiRows.some((r) => Date.parse(r.start) < ROLL_NOW - 3 * 3_600_000)).toBe(true);
    expect(apiRows.some((r) => Date.parse(r.start) > ROLL_NOW)).toBe(true);
  });

  it('customer figures equal the from-scratch NPS, CSAT, survey FCR and repeat-contact FCR', async () => {
    const api = await scratch('1w');
    const [row] = await panel(BY_QUEUE_SQL);
    const c = api.total.counts;
    expect(
      [row!.offered, row!.surveys_nps, row!.surveys_csat, row!.surveys_fcr, row!.fcr_repeat_eligible].map(num),
    ).toEqual([c.offered, c.nps_n, c.csat_n, c.fcr_n, c.fcr_repeat_eligible]);
    expect(num(row!.nps)).toBeCloseTo(api.total.nps!, 9);
    expect(num(row!.csat)).toBeCloseTo(api.total.csat!, 12);
    expect(num(row!.fcr_survey)).toBeCloseTo(api.total.fcr_survey!, 12);
    expect(num(row!.fcr_repeat)).toBeCloseTo(api.total.fcr_repeat!, 12);
  });

  it('a range that starts and ends inside half-hours counts only the contacts queued inside it', async () => {
    // Tuesday 09:10 to Thursday 14:20: partial half-hours at both ends, rolled and live between.
    const range = {
      fromMs: START_MS + DAY_MS + 9 * 3_600_000 + 600_000,
      toMs: START_MS + 3 * DAY_MS + 14 * 3_600_000 + 1_200_000,
    };
    const [row] = await panel(QUEUE_TOTALS_SQL, range);
    const expected = await t.count(
      `SELECT count() FROM (SELECT contact_id, any(queue) AS cq, min(queued_at) AS q FROM contact_state GROUP BY contact_id
       HAVING cq = 'billing' AND q >= fromUnixTimestamp64Milli({f:Int64}) AND q < fromUnixTimestamp64Milli({t:Int64}))`,
      { f: range.fromMs, t: range.toMs },
    );
    expect(num(row!.offered)).toBe(expected);
  });

  it('reads the rolled rows, and falls back to per-contact figures once a settings change makes them stale', async () => {
    const offeredAt = async (ms: number) => {
      const rows = await panel(OFFERED_BY_HALF_HOUR_SQL);
      return num(rows.find((r) => Date.parse(`${String(r.time).replace(' ', 'T')}Z`) === ms)?.offered ?? 0);
    };
    const actualAt = async (ms: number) => {
      const rows = await panel(ACTUAL_SQL);
      return num(rows.find((r) => Date.parse(`${String(r.time).replace(' ', 'T')}Z`) === ms)?.actual ?? 0);
    };
    const before = await offeredAt(TAMPERED);
    expect(before).toBeGreaterThan(0);
    expect(await actualAt(TAMPERED)).toBe(before);
    await t.store.client.command({
      query: `ALTER TABLE contact_rollup UPDATE offered = offered + 1000 WHERE bucket = {b:Int64} AND is_roll = 0 AND queue = 'billing'
              SETTINGS mutations_sync = 2`,
      query_params: { b: TAMPERED },
    });
    expect(await offeredAt(TAMPERED)).toBe(before + 1000 * (await rolledRows(TAMPERED)));
    // From Tuesday on, billing's rolled half-hours were rolled under other settings: stale.
    await saveSettings(t.store.client, 'billing', { threshold_s: 40 }, 'test', START_MS + DAY_MS);
    expect(await offeredAt(TAMPERED)).toBe(before);
    await expectTotalsMatchScratch();
  });
});

/** Rollup rows of billing at the half-hour (one per channel × settings version with contacts). */
async function rolledRows(bucket: number): Promise<number> {
  return t.count(
    `SELECT count() FROM contact_rollup WHERE bucket = {b:Int64} AND is_roll = 0 AND queue = 'billing'
       AND gen = (SELECT max(gen) FROM contact_rollup WHERE bucket = {b:Int64} AND is_roll = 1)`,
    { b: bucket },
  );
}
