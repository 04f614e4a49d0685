// Customer experience: NPS, CSAT, survey FCR and repeat-contact FCR by queue and by contact
// reason, and their daily trends. Surveys count in the half-hour (and day) their contact was
// queued, like every other figure of that contact.
import {
  CONTACT_CTE,
  EXPERIENCE_FIGURES,
  SURVEY_CTE,
  TZ,
  VISITS_CTE,
  experience,
  type ExperienceFigure,
} from './lib/contacts-sql.js';
import { halfHoursCte, hhExperience } from './lib/rollup-sql.js';
import { callcastDashboard, type BuiltDashboard } from './lib/dashboard.js';
import {
  NPS_STEPS,
  PCT_GOOD_STEPS,
  QueryCatalog,
  seriesPanel,
  tablePanel,
  type ColumnKind,
  type FieldStyle,
} from './lib/panels.js';

export const UID = 'callcast-customer-experience';

const FROM_CTES = `WITH ${CONTACT_CTE},\n${SURVEY_CTE},\n${VISITS_CTE}`;

// Every panel reads the half-hour counts `hh` (lib/rollup-sql.ts: the rollup where it can answer,
// per contact for the rest); by reason from the rollup by reason (src/metrics/reason-rollup.ts), on UTC
// half-hours (it needs no local half-hour, and any zone's range is then read from the rollup).
const HH = `WITH ${halfHoursCte({ experience: true })}`;

export const BY_QUEUE_SQL = `${HH}
SELECT queue, sum(offered) AS offered, ${hhExperience()}
FROM hh GROUP BY queue ORDER BY queue`;

export const BY_REASON_SQL = `WITH ${halfHoursCte({ experience: true, reason: true, tz: "'UTC'" })}
SELECT if(reason = '', '(none)', reason) AS contact_reason, sum(offered) AS offered, ${hhExperience()}
FROM hh GROUP BY contact_reason ORDER BY offered DESC, contact_reason`;

/** By reason computed per contact over the whole range (the definition BY_REASON_SQL's parity test compares with). */
export const BY_REASON_PER_CONTACT_SQL = `${FROM_CTES}
SELECT if(reason = '', '(none)', reason) AS contact_reason, count() AS offered, ${experience()}
FROM experience GROUP BY contact_reason ORDER BY offered DESC, contact_reason`;

/** One figure per queue and local day. */
export const dailySql = (figure: ExperienceFigure) => `${HH}
SELECT toStartOfDay(toDateTime(bucket, ${TZ})) AS time, queue, ${hhExperience([figure])}
FROM hh GROUP BY time, queue ORDER BY time, queue`;

const EXPERIENCE_COLUMNS: Record<string, ColumnKind> = Object.fromEntries(
  Object.keys(EXPERIENCE_FIGURES).map((k) => [k, 'number']),
);

const EXPERIENCE_FIELDS: Record<string, FieldStyle> = {
  nps: { unit: 'none', decimals: 0, min: -100, max: 100, thresholds: NPS_STEPS(), displayName: 'NPS' },
  csat: { unit: 'percentunit', decimals: 1, thresholds: PCT_GOOD_STEPS(), displayName: 'CSAT (4–5)' },
  fcr_survey: { unit: 'percentunit', decimals: 1, thresholds: PCT_GOOD_STEPS(), displayName: 'FCR (survey)' },
  fcr_repeat: {
    unit: 'percentunit',
    decimals: 1,
    thresholds: PCT_GOOD_STEPS(),
    displayName: 'FCR (no repeat contact)',
  },
  surveys_nps: { displayName: 'NPS answers' },
  surveys_csat: { displayName: 'CSAT answers' },
  surveys_fcr: { displayName: 'FCR answers' },
  fcr_repeat_eligible: { displayName: 'Contacts with closed FCR window' },
};

export function customerExperienceDashboard(): BuiltDashboard {
  const cat = new QueryCatalog(UID);
  const b = callcastDashboard(UID, 'Callcast · Customer experience', {
    from: 'now-30d/d',
    to: 'now',
    refresh: '5m',
    description:
      "NPS (% promoters − % detractors), CSAT (% of 4–5), survey FCR (share of fcr: true) and repeat-contact FCR (handled contacts whose customer did not contact again within the queue's FCR window), with the answer counts beside them.",
  });
  b.withPanel(
    tablePanel(cat, {
      title: 'By queue',
      w: 24,
      h: 6,
      sortBy: 'queue',
      query: { sql: BY_QUEUE_SQL, columns: { queue: 'string', offered: 'number', ...EXPERIENCE_COLUMNS } },
      fields: EXPERIENCE_FIELDS,
    }),
  );
  b.withPanel(
    tablePanel(cat, {
      title: 'By contact reason',
      w: 24,
      h: 9,
      description: 'Reason given when the contact was queued, else when it was completed.',
      query: { sql: BY_REASON_SQL, columns: { contact_reason: 'string', offered: 'number', ...EXPERIENCE_COLUMNS } },
      fields: EXPERIENCE_FIELDS,
    }),
  );
  const trend = (title: string, unit: string, field: ExperienceFigure, style: FieldStyle, min: number, max: number) =>
    seriesPanel(cat, {
      title,
      w: 12,
      h: 8,
      unit,
      min,
      max,
      thresholds: style.thresholds,
      showThresholds: true,
      description:
        'Per queue and day (time zone variable). Days with few answers swing: check the counts in the tables.',
      queries: [
        {
          sql: dailySql(field),
          columns: { time: 'time', queue: 'string', [field]: 'number' },
        },
      ],
    });
  b.withPanel(trend('NPS by day', 'none', 'nps', EXPERIENCE_FIELDS.nps!, -100, 100));
  b.withPanel(trend('CSAT by day', 'percentunit', 'csat', EXPERIENCE_FIELDS.csat!, 0, 1));
  b.withPanel(trend('Survey FCR by day', 'percentunit', 'fcr_survey', EXPERIENCE_FIELDS.fcr_survey!, 0, 1));
  b.withPanel(trend('Repeat-contact FCR by day', 'percentunit', 'fcr_repeat', EXPERIENCE_FIELDS.fcr_repeat!, 0, 1));
  return { uid: UID, dashboard: b.build(), queries: cat.queries };
}
