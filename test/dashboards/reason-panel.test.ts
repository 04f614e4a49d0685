// Customer experience by contact reason reads the rollup by reason (src/metrics/reason-rollup.ts)
// where it follows the contact rollup, and the per-contact computation for the rest: on a
// simulated week rolled up to Thursday noon, every figure of every reason equals the per-contact
// computation over the whole range, and the offered total equals GET /v1/metrics's. A rolled row
// changed by hand shows in the panel (the rollup by reason is what is read) until the contact
// rollup re-rolls that half-hour later than the rollup by reason, when the panel computes it per
// contact again; rolling the reasons again catches up. A retroactive FCR window makes its rolled
// rows stale, as in the contact rollup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { BY_REASON_PER_CONTACT_SQL, BY_REASON_SQL } from '../../dashboards/customer-experience.js';
import { rollReasons } from '../../src/metrics/reason-rollup.js';
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
  await reroll(t.store.client, { now: ROLL_NOW });
  const r = await rollReasons(t.store.client, { now: ROLL_NOW });
  // Every half-hour from the first event's to the settle line (Thursday 10:00), once.
  expect(r.buckets).toBe(3.5 * 48 - 4);
  expect((await rollReasons(t.store.client, { now: ROLL_NOW })).buckets).toBe(0);
});
afterAll(async () => t?.cleanup());

async function panel(sql: string, range = WEEK, tz = 'UTC') {
  const query = expandPanelSql(sql, {
    ...range,
    intervalMs: 1_800_000,
    variables: { queue: ['billing', 'tech-support'], channel: ['voice', 'chat', 'email', 'messaging'], tz },
  });
  return await (await t.store.client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
}

async function expectPanelEqualsPerContact(range = WEEK, tz = 'UTC') {
  const rolled = await panel(BY_REASON_SQL, range, tz);
  const perContact = await panel(BY_REASON_PER_CONTACT_SQL, range, tz);
  expect(rolled.length).toBeGreaterThan(3);
  expect(rolled.map((r) => r.contact_reason)).toEqual(perContact.map((r) => r.contact_reason));
  rolled.forEach((r, i) => {
    const p = perContact[i]!;
    for (const k of ['offered', 'surveys_nps', 'surveys_csat', 'surveys_fcr', 'fcr_repeat_eligible'])
      expect([r.contact_reason, k, Number(r[k])]).toEqual([r.contact_reason, k, Number(p[k])]);
    for (const k of ['nps', 'csat', 'fcr_survey', 'fcr_repeat']) {
      if (p[k] === null) expect(r[k]).toBeNull();
      else expect(Number(r[k])).toBeCloseTo(Number(p[k]), 12);
    }
  });
  return rolled;
}

const offeredOf = (rows: Record<string, unknown>[], reason: string) =>
  Number(rows.find((r) => r.contact_reason === reason)?.offered ?? 0);

describe('customer experience by contact reason over a half-rolled week', () => {
  it('equals the per-contact figures of every reason, and its offered total the API total', async () => {
    const rows = await expectPanelEqualsPerContact();
    let total = 0;
    for (const queue of ['billing', 'tech-support']) {
      const api = await queryMetricsFromScratch(t.store.client, {
        queue,
        from: WEEK.fromMs,
        to: WEEK.toMs,
        interval: '1w',
        tz: 'UTC',
        now: Date.now(),
      });
      total += api.total.counts.offered;
    }
    expect(rows.reduce((s, r) => s + Number(r.offered), 0)).toBe(total);
  });

  it('equals the per-contact figures over a range cut inside half-hours, in a zone off the UTC half-hours', async () => {
    // Tuesday 09:10 to Thursday 14:20 UTC: partial half-hours at both ends, rolled and live between.
    const range = {
      fromMs: START_MS + DAY_MS + 9 * 3_600_000 + 600_000,
      toMs: START_MS + 3 * DAY_MS + 14 * 3_600_000 + 1_200_000,
    };
    await expectPanelEqualsPerContact(range);
    await expectPanelEqualsPerContact(WEEK, 'Asia/Kathmandu');
  });

  it('reads the rolled rows only while they follow the contact rollup', async () => {
    const tuesday = { fromMs: START_MS + DAY_MS, toMs: START_MS + 2 * DAY_MS };
    const [top] = await panel(BY_REASON_SQL, tuesday);
    const reason = String(top!.contact_reason);
    const before = offeredOf(await panel(BY_REASON_SQL, tuesday), reason);
    const rows = await t.count(
      `SELECT count() FROM contact_reason_rollup WHERE bucket = {b:Int64} AND is_roll = 0 AND reason = {r:String}
         AND gen = (SELECT max(gen) FROM contact_reason_rollup WHERE bucket = {b:Int64} AND is_roll = 1)`,
      { b: TAMPERED, r: reason === '(none)' ? '' : reason },
    );
    expect(rows).toBeGreaterThan(0);
    await t.store.client.command({
      query: `ALTER TABLE contact_reason_rollup UPDATE offered = offered + 1000
              WHERE bucket = {b:Int64} AND is_roll = 0 AND reason = {r:String} SETTINGS mutations_sync = 2`,
      query_params: { b: TAMPERED, r: reason === '(none)' ? '' : reason },
    });
    expect(offeredOf(await panel(BY_REASON_SQL, tuesday), reason)).toBe(before + 1000 * rows);
    // A late survey of a contact queued in that half-hour: the contact rollup re-rolls it, so its
    // marker there is newer than here and by reason computes it per contact (with the survey).
    const [late] = await (
      await t.store.client.query({
        query: `SELECT contact_id, any(reason) AS r FROM contact_events WHERE type = 'contact.queued'
                  AND toUnixTimestamp64Milli(occurred_at) >= {b:Int64} AND toUnixTimestamp64Milli(occurred_at) < {b:Int64} + 1800000
                GROUP BY contact_id ORDER BY contact_id LIMIT 1`,
        query_params: { b: TAMPERED },
        format: 'JSONEachRow',
      })
    ).json<{ contact_id: string; r: string }>();
    await t.store.client.insert({
      table: 'survey_events',
      values: [
        {
          event_id: '6f1c7a52-2d1e-4b8e-9a5f-0c1d2e3f4a5b',
          occurred_at: '2026-11-12 09:00:00.000',
          contact_id: late!.contact_id,
          nps: 10,
          csat: null,
          fcr: null,
          comment: '',
          extra: '{}',
          _source: 'test',
          _topic: '',
          _partition: 0,
          _offset: 0,
          _request_id: '',
        },
      ],
      format: 'JSONEachRow',
    });
    const later = WEEK.toMs + 3 * 3_600_000;
    await reroll(t.store.client, { now: later });
    expect(offeredOf(await panel(BY_REASON_SQL, tuesday), reason)).toBe(before);
    await expectPanelEqualsPerContact();
    // Every half-hour that roll wrote (the tampered one, the rest of the week to Monday 01:00, …) is rolled here again, once.
    const rerolled = await t.count(
      `SELECT uniqExact(bucket) FROM contact_rollup WHERE is_roll = 1 AND rolled_now = fromUnixTimestamp64Milli({n:Int64})`,
      { n: later },
    );
    expect(rerolled).toBeGreaterThanOrEqual(1 + 174);
    expect((await rollReasons(t.store.client, { now: later })).buckets).toBe(rerolled);
    expect((await rollReasons(t.store.client, { now: later })).buckets).toBe(0);
    expect(offeredOf(await panel(BY_REASON_SQL, tuesday), reason)).toBe(before);
    await expectPanelEqualsPerContact();
  });

  it('a retroactive FCR window makes the rolled rows stale: repeat-contact FCR follows the new window', async () => {
    const fcrBefore = (await panel(BY_REASON_SQL)).map((r) => [r.contact_reason, Number(r.fcr_repeat)]);
    // Every queue's window shortened to one day from Tuesday: fewer later contacts count as repeats.
    for (const queue of ['billing', 'tech-support'])
      await saveSettings(t.store.client, queue, { fcr_window_days: 1 }, 'test', START_MS + DAY_MS);
    const rows = await expectPanelEqualsPerContact();
    expect(rows.map((r) => [r.contact_reason, Number(r.fcr_repeat)])).not.toEqual(fcrBefore);
  });
});
