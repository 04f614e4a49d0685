// Shared SQL for every contact figure on the dashboards, written to the same definitions as the
// API (src/metrics/contacts-sql.ts, docs/spec.md): one row per contact from contact_state, counted in
// the half-hour it was queued; thresholds from the queue's settings version in force when it was
// queued (queue_settings, ASOF join); short abandons counted apart and left out of abandons and
// of the "− short abandons" denominators. Grafana fills in the plugin's macros and ${…} variables.

import { CONTACT_COMPONENTS as C } from '../../src/metrics/contacts-sql.js';

/** Version 0 of every queue's settings (src/metrics/settings.ts DEFAULT_SETTINGS; a test checks they agree). */
export const DEFAULTS = {
  threshold_s: 20,
  sl_target: 0.8,
  short_abandon_s: 5,
  fcr_window_days: 7,
  sl_formula: 'answered_within_t_over_offered',
} as const;

/** Events of a contact more than this many days after it was queued are not read (as the API's LAG_DAYS). */
export const LAG_DAYS = 31;

export const QUEUES = '${queue:singlequote}';
export const CHANNELS = '${channel:singlequote}';
export const TZ = '${tz:singlequote}';
/** The range as the plugin gives it, to the millisecond: [from, to) like the API. */
export const FROM = '$__fromTime_ms';
export const TO = '$__toTime_ms';

/** Every settings version, newest values per (queue, version). */
const SETTINGS = `(SELECT queue, effective_from, version, threshold_s, sl_target, short_abandon_s, sl_formula, fcr_window_days FROM queue_settings FINAL)`;

/**
 * CTEs `queued` (ids of contacts queued in [from, to) on the selected queues and channels) and
 * `contact`: one row per such contact, with its settings and the facts every figure needs.
 * `bucket` is its half-hour (cut in ${tz}).
 */
export const CONTACT_CTE = contactCte();

/**
 * CONTACT_CTE over the contacts queued in [`from`, to) (an SQL expression of a DateTime64
 * instant), half-hours cut in `tz` (an SQL string expression).
 */
export function contactCte(from = FROM, tz = TZ): string {
  return `
queued AS (
  SELECT contact_id FROM contact_events
  WHERE type = 'contact.queued' AND occurred_at >= ${from} AND occurred_at < ${TO}
    AND queue IN (${QUEUES}) AND channel IN (${CHANNELS})
),
contact AS (
  SELECT c0.*,
    if(s.version = 0, ${DEFAULTS.threshold_s}, s.threshold_s) AS thr,
    if(s.version = 0, ${DEFAULTS.short_abandon_s}, s.short_abandon_s) AS short,
    if(s.version = 0, ${DEFAULTS.fcr_window_days}, s.fcr_window_days) AS win,
    a IS NOT NULL AS is_answered,
    greatest(0, dateDiff('millisecond', q, ifNull(a, q))) AS wait_msec,
    wait_msec / 1000 AS wait,
    a IS NULL AND ab IS NOT NULL AS is_gave_up,
    greatest(0, dateDiff('millisecond', q, ifNull(ab, q))) / 1000 AS ab_wait,
    c IS NOT NULL AS is_handled,
    timeZoneOffset(toDateTime(q, ${tz})) AS off,
    toDateTime(intDiv(toUnixTimestamp(q) + off, 1800) * 1800 - off, 'UTC') AS bucket
  FROM (
    SELECT contact_id,
      ifNull(any(queue), '') AS cq, ifNull(any(channel), '') AS cch, ifNull(any(customer_id), '') AS customer,
      ifNull(coalesce(any(queued_reason), any(done_reason)), '') AS reason,
      assumeNotNull(min(queued_at)) AS q, min(answered_at) AS a, min(abandoned_at) AS ab, min(completed_at) AS c,
      ifNull(any(talk_s), 0) AS talk, ifNull(any(hold_s), 0) AS hold, ifNull(any(wrap_s), 0) AS wrap,
      max(transferred) AS xfer
    FROM contact_state
    WHERE day >= toDate(${from}) - 1 AND day <= toDate(${TO}) + ${LAG_DAYS}
      AND contact_id IN queued
    GROUP BY contact_id
    HAVING min(queued_at) >= ${from} AND min(queued_at) < ${TO} AND cq IN (${QUEUES}) AND cch IN (${CHANNELS})
  ) AS c0
  ASOF LEFT JOIN ${SETTINGS} AS s ON c0.cq = s.queue AND c0.q >= s.effective_from
)`;
}

/**
 * Additive counts over `contact` rows (sum them to roll up; ratios come from sums, never averages):
 * the API's definitions (src/metrics/contacts-sql.ts CONTACT_COMPONENTS), not a copy of them.
 */
export const COUNTS = `
  ${(
    [
      'offered',
      'answered',
      'answered_within_t',
      'short_abandons',
      'abandoned',
      'abandoned_within_t',
      'abandoned_after_t',
      'handled',
      'transferred',
    ] as const
  )
    .map((n) => `${C[n]} AS ${n}`)
    .join(',\n  ')},
  ${C.wait_ms} / 1000 AS wait_s,
  ${C.talk_s} + ${C.hold_s} + ${C.wrap_s} AS handle_s`;

/** Service level by the named formula (docs/spec.md's four; NULL when the denominator is 0). */
export function serviceLevel(formula: string): string {
  return `multiIf(
    ${formula} = 'answered_within_t_over_answered', answered_within_t / nullIf(answered, 0),
    ${formula} = 'answered_and_abandoned_within_t_over_offered', (answered_within_t + abandoned_within_t) / nullIf(offered - short_abandons, 0),
    ${formula} = 'answered_within_t_over_answered_and_abandoned_after_t', answered_within_t / nullIf(answered + abandoned_after_t, 0),
    answered_within_t / nullIf(offered - short_abandons, 0))`;
}

export const ASA = 'wait_s / nullIf(answered, 0)';
export const AHT = 'handle_s / nullIf(handled, 0)';
export const ABANDON_RATE = 'abandoned / nullIf(offered - short_abandons, 0)';

/**
 * Joins rows of a CTE `agg` (a `queue` column and the time column named by `at`) to the settings
 * version in force at that time: `formula` and `sl_target`, defaults where the queue has no version yet.
 */
export function withSettingsAt(select: string, at: string): string {
  return `SELECT ${select}
FROM (SELECT *, if(s.version = 0, '${DEFAULTS.sl_formula}', s.sl_formula) AS formula, if(s.version = 0, ${DEFAULTS.sl_target}, s.sl_target) AS sl_target
      FROM agg ASOF LEFT JOIN ${SETTINGS} AS s ON agg.queue = s.queue AND toDateTime64(${at}, 3, 'UTC') >= s.effective_from)`;
}

/**
 * CTE `survey`: survey answers per queued contact (read from a day before the range to its lag after);
 * `queued` is only ids, cheap to reuse.
 */
export const SURVEY_CTE = surveyCte();

/** SURVEY_CTE for the contacts queued from `from` (an SQL expression of a DateTime64 instant). */
export function surveyCte(from = FROM): string {
  return `
survey AS (
  SELECT contact_id,
    countIf(nps IS NOT NULL) AS nps_n, countIf(nps >= 9) AS promoters, countIf(nps <= 6) AS detractors,
    countIf(csat IS NOT NULL) AS csat_n, countIf(csat >= 4) AS csat_4_5,
    countIf(fcr IS NOT NULL) AS fcr_n, countIf(fcr) AS fcr_yes
  FROM survey_events FINAL
  WHERE occurred_at >= ${from} - INTERVAL 1 DAY AND occurred_at < ${TO} + INTERVAL ${LAG_DAYS + 90} DAY
    AND contact_id IN queued
  GROUP BY contact_id
)`;
}

/**
 * CTE `visits`: every contact (any queue, any channel) of the customers offered here, one row
 * per customer, for repeat-contact FCR; `repeat` then flags each handled contact.
 */
export const VISITS_CTE = visitsCte();

/** VISITS_CTE for the contacts queued from `from` (an SQL expression of a DateTime64 instant). */
export function visitsCte(from = FROM): string {
  return `
visits AS (
  SELECT customer_id, groupArray((contact_id, t, r)) AS v
  FROM (
    SELECT customer_id, contact_id, min(occurred_at) AS t, any(reason) AS r
    FROM contact_events
    WHERE type = 'contact.queued' AND customer_id != ''
      AND customer_id IN (
        SELECT customer_id FROM contact_events
        WHERE type = 'contact.queued' AND customer_id != '' AND occurred_at >= ${from} AND occurred_at < ${TO}
          AND queue IN (${QUEUES}) AND channel IN (${CHANNELS})
      )
      AND occurred_at > ${from} AND occurred_at < ${TO} + INTERVAL ${LAG_DAYS + 90} DAY
    GROUP BY customer_id, contact_id
  )
  GROUP BY customer_id
),
experience AS (
  SELECT contact.*, survey.*,
    arrayExists(x -> x.1 != contact.contact_id AND x.2 > contact.q AND x.2 <= contact.c + toIntervalDay(contact.win)
      AND (contact.reason = '' OR x.3 = '' OR x.3 = contact.reason), visits.v) AS repeated,
    is_handled AND customer != '' AND contact.c + toIntervalDay(contact.win) <= now64(3) AS repeat_eligible
  FROM contact
  LEFT JOIN survey ON survey.contact_id = contact.contact_id
  LEFT JOIN visits ON visits.customer_id = contact.customer
)`;
}

/** Experience counts over `experience` rows, and the ratios beside them, by output column. */
export const EXPERIENCE_FIGURES = {
  surveys_nps: 'sum(nps_n)',
  nps: '100 * (sum(promoters) - sum(detractors)) / nullIf(sum(nps_n), 0)',
  surveys_csat: 'sum(csat_n)',
  csat: 'sum(csat_4_5) / nullIf(sum(csat_n), 0)',
  surveys_fcr: 'sum(fcr_n)',
  fcr_survey: 'sum(fcr_yes) / nullIf(sum(fcr_n), 0)',
  fcr_repeat_eligible: 'countIf(repeat_eligible)',
  fcr_repeat: 'countIf(repeat_eligible AND NOT repeated) / nullIf(countIf(repeat_eligible), 0)',
} as const;
export type ExperienceFigure = keyof typeof EXPERIENCE_FIGURES;

export function experience(
  names: readonly ExperienceFigure[] = Object.keys(EXPERIENCE_FIGURES) as ExperienceFigure[],
): string {
  return names.map((n) => `${EXPERIENCE_FIGURES[n]} AS ${n}`).join(',\n  ');
}
