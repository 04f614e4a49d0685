// Contact figures per half-hour for the panels, read as GET /v1/metrics reads them
// (src/metrics/query.ts halfHourCountsRolled): the rolled half-hours of contact_rollup where the
// rollup can answer (settled, rolled by its newest generation, not stale under a settings change,
// whole inside the range, and the zone's half-hours are UTC half-hours), and the per-contact live
// computation (contacts-sql.ts) for the contacts of every other half-hour. Pure SQL: Grafana has
// no query parameters, so the settings arrays the rollup's stale check reads come from
// queue_settings in the statement itself.
import { CONTACT_COMPONENTS as C, settingsKeySql } from '../../src/metrics/contacts-sql.js';
import {
  CHANNELS,
  EXPERIENCE_FIGURES,
  FROM,
  QUEUES,
  TO,
  TZ,
  contactCte,
  surveyCte,
  visitsCte,
} from './contacts-sql.js';

const HALF_HOUR_MS = 1_800_000;
const FROM_MS = `toUnixTimestamp64Milli(${FROM})`;
const TO_MS = `toUnixTimestamp64Milli(${TO})`;

/**
 * Every settings version (version 0 excluded), sorted by queue, effective_from, version as the
 * re-roll sorts them (src/metrics/rollup.ts settingsArrays), as the arrays settingsKeySql reads.
 */
const SETTINGS_ARRAYS = `
(SELECT arraySort(groupArray((queue, effective_from, version))) FROM queue_settings FINAL WHERE version > 0) AS sv_all,
arrayMap(x -> x.1, sv_all) AS sv_queue,
arrayMap(x -> x.2, sv_all) AS sv_from,
arrayMap(x -> toUInt32(x.3), sv_all) AS sv_ver`;

/** The rollup's settings key of (queue, bucket), with the arrays above in place of its parameters. */
const SETTINGS_KEY = settingsKeySql('queue', 'bucket')
  .replaceAll('{sv_queue:Array(String)}', 'sv_queue')
  .replaceAll('{sv_from:Array(DateTime64(3))}', 'sv_from')
  .replaceAll('{sv_ver:Array(UInt32)}', 'sv_ver');

/** True when every half-hour of `tz` over the range is a UTC half-hour (rollup.ts halfHourAligned). */
const aligned = (tz: string) => `arrayAll(t -> timeZoneOffset(toDateTime(t, ${tz})) % 1800 = 0,
  arrayPushBack(range(toUInt32(toUnixTimestamp(${FROM})), toUInt32(toUnixTimestamp(${TO})), 21600), toUInt32(toUnixTimestamp(${TO}))))`;

// Scalars, computed once per statement (a CTE would run again at every reference): `usable_bg`,
// the (UTC half-hour, generation) pairs read from the rollup — newest marker rolled by now, whole
// inside the range, no row of the selected queues and channels stale; `usable_b` their
// half-hours; `live_from`, the first instant of the range outside them (rolled half-hours are one
// block, so the live part is the range's recent end, plus any stale half-hour inside it).
// From contact_reason_rollup (`reason`), a half-hour is also usable only while its newest marker
// there is at least as new as contact_rollup's (src/metrics/reason-rollup.ts follows that rollup).
// transform() with constant arrays looks a value up in a hash table; has() on a tuple array scans
// the array for every row (measured: the stale check took 2–3 times as long with has()).
/** The generation of `bucket` in the (bucket, gen) array `pairs`, 0 when absent. */
const genOf = (pairs: string) =>
  `transform(bucket, arrayMap(x -> x.1, ${pairs}), arrayMap(x -> x.2, ${pairs}), toInt64(0))`;
/** True when the UTC half-hour (epoch ms) `ms` is not in usable_b. */
const notUsable = (ms: string) => `transform(${ms}, usable_b, usable_b, toInt64(-1)) = -1`;

const usableScalars = (tz: string, reason: boolean) => {
  const table = reason ? 'contact_reason_rollup' : 'contact_rollup';
  const inRange = `bucket >= ${FROM_MS} AND bucket + ${HALF_HOUR_MS} <= ${TO_MS}`;
  const markers = `SELECT bucket, max(gen) AS g, argMax(rolled_now, gen) AS rn FROM ${table}
  WHERE is_roll = 1 AND ${inRange}
  GROUP BY bucket
  HAVING rn <= now64(3) AND ${aligned(tz)}`;
  const latest = reason
    ? `SELECT r.bucket AS bucket, r.g AS g FROM (${markers}) AS r
  INNER JOIN (SELECT bucket, argMax(rolled_now, gen) AS crn FROM contact_rollup WHERE is_roll = 1 AND ${inRange} GROUP BY bucket) AS c
    ON c.bucket = r.bucket
  WHERE r.rn >= c.crn`
    : markers;
  return `
(SELECT groupArray((bucket, g)) FROM (
  ${latest}
)) AS latest_bg,
(SELECT groupUniqArray(bucket) FROM ${table}
  WHERE is_roll = 0 AND ${inRange}
    AND queue IN (${QUEUES}) AND channel IN (${CHANNELS})
    AND ${genOf('latest_bg')} = gen AND settings_key != ${SETTINGS_KEY}) AS stale_b,
arrayFilter(x -> NOT has(stale_b, x.1), latest_bg) AS usable_bg,
arrayMap(x -> x.1, usable_bg) AS usable_b,
arrayFilter(b -> NOT has(usable_b, b),
  range(toInt64(intDiv(${FROM_MS}, ${HALF_HOUR_MS}) * ${HALF_HOUR_MS}), toInt64(${TO_MS}), ${HALF_HOUR_MS})) AS live_b,
fromUnixTimestamp64Milli(toInt64(greatest(${FROM_MS}, if(empty(live_b), ${TO_MS}, live_b[1])))) AS live_from`;
};

const LIVE_FROM = 'live_from';

const COMPONENTS = [
  'offered',
  'answered',
  'answered_within_t',
  'short_abandons',
  'abandoned',
  'abandoned_within_t',
  'abandoned_after_t',
  'handled',
  'transferred',
  'wait_ms',
  'talk_s',
  'hold_s',
  'wrap_s',
] as const;

const EXPERIENCE = ['nps_n', 'promoters', 'detractors', 'csat_n', 'csat_4_5', 'fcr_n', 'fcr_yes'] as const;

/** Repeat-contact FCR as of now: eligible (window closed) and resolved (not repeated). */
const ROLLED_FCR = `sum(fcr_closed) + sum(arrayCount(f -> f.1 <= now64(3), fcr_open)) AS fcr_eligible,
    sum(fcr_closed_resolved) + sum(arrayCount(f -> f.1 <= now64(3) AND f.2 = 0, fcr_open)) AS fcr_resolved`;
const LIVE_FCR = `countIf(repeat_eligible) AS fcr_eligible, countIf(repeat_eligible AND NOT repeated) AS fcr_resolved`;

/**
 * CTE `hh` (preceded by the CTEs it reads): the additive contact counts per (bucket, queue,
 * channel), bucket being the half-hour cut in `tz` (default ${tz}; DateTime, UTC) — with `experience`, also
 * the survey counts (nps_n … fcr_yes) and repeat-contact FCR (fcr_eligible, fcr_resolved); with
 * `reason`, per contact reason too (column `reason`, '' for none), from contact_reason_rollup.
 * Sums over `hh` equal sums over the per-contact rows of the whole range.
 */
export function halfHoursCte(o: { experience?: boolean; tz?: string; reason?: boolean } = {}): string {
  const tz = o.tz ?? TZ;
  const reason = o.reason ?? false;
  const keys = `bucket, queue, channel${reason ? ', reason' : ''}`;
  const rolledCols = [...COMPONENTS, ...(o.experience ? EXPERIENCE : [])].map((n) => `sum(${n}) AS ${n}`);
  const liveCols = [
    ...COMPONENTS.map((n) => `${C[n]} AS ${n}`),
    ...(o.experience ? EXPERIENCE.map((n) => `sum(ifNull(${n}, 0)) AS ${n}`) : []),
  ];
  const source = o.experience ? 'experience' : 'contact';
  return `${SETTINGS_ARRAYS},
${usableScalars(tz, reason)},
${contactCte(LIVE_FROM, tz)},
${o.experience ? `${surveyCte(LIVE_FROM)},\n${visitsCte(LIVE_FROM)},` : ''}
hh AS (
  SELECT toDateTime(intDiv(rb, 1000), 'UTC') AS bucket, queue, channel${reason ? ', reason' : ''},
    ${rolledCols.join(', ')}${o.experience ? `,\n    ${ROLLED_FCR}` : ''}
  FROM (
    SELECT bucket AS rb, * EXCEPT (bucket) FROM ${reason ? 'contact_reason_rollup' : 'contact_rollup'}
    WHERE is_roll = 0 AND bucket >= ${FROM_MS} AND bucket + ${HALF_HOUR_MS} <= ${TO_MS}
      AND queue IN (${QUEUES}) AND channel IN (${CHANNELS}) AND ${genOf('usable_bg')} = gen
  )
  GROUP BY ${keys}
  UNION ALL
  SELECT bucket, cq AS queue, cch AS channel${reason ? ', reason' : ''},
    ${liveCols.join(', ')}${o.experience ? `,\n    ${LIVE_FCR}` : ''}
  FROM ${source}
  WHERE ${notUsable(`intDiv(toUnixTimestamp64Milli(q), ${HALF_HOUR_MS}) * ${HALF_HOUR_MS}`)}
  GROUP BY ${keys}
)`;
}

/** Additive counts over `hh` rows, named as COUNTS names them over contacts. */
export const HH_COUNTS = `
  ${['offered', 'answered', 'answered_within_t', 'short_abandons', 'abandoned', 'abandoned_within_t', 'abandoned_after_t', 'handled', 'transferred'].map((n) => `sum(${n}) AS ${n}`).join(',\n  ')},
  sum(wait_ms) / 1000 AS wait_s,
  sum(talk_s) + sum(hold_s) + sum(wrap_s) AS handle_s`;

/** Experience figures over `hh` rows, named as EXPERIENCE_FIGURES names them over contacts: the
 * survey sums are the same; repeat-contact FCR sums the rolled eligible/resolved counts. */
export const HH_EXPERIENCE = {
  ...EXPERIENCE_FIGURES,
  fcr_repeat_eligible: 'sum(fcr_eligible)',
  fcr_repeat: 'sum(fcr_resolved) / nullIf(sum(fcr_eligible), 0)',
} as const;
export type HhExperienceFigure = keyof typeof HH_EXPERIENCE;

export function hhExperience(
  names: readonly HhExperienceFigure[] = Object.keys(HH_EXPERIENCE) as HhExperienceFigure[],
): string {
  return names.map((n) => `${HH_EXPERIENCE[n]} AS ${n}`).join(',\n  ');
}
