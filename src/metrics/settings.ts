// Per-queue settings, versioned in ClickHouse (sql/011_queue_settings.sql). Version 0 is the
// defaults; each change adds a version that applies to contacts queued from `effective_from`.
import Type, { type Static } from 'typebox';
import type { ClickHouseClient } from '@clickhouse/client';
import { isTimeZone } from './tz.js';

/** The four service-level formulas of docs/spec.md, by name. */
export const SL_FORMULAS = {
  answered_within_t_over_offered: 'answered within T ÷ (offered − short abandons)',
  answered_within_t_over_answered: 'answered within T ÷ answered',
  answered_and_abandoned_within_t_over_offered: '(answered within T + abandoned within T) ÷ (offered − short abandons)',
  answered_within_t_over_answered_and_abandoned_after_t: 'answered within T ÷ (answered + abandoned after T)',
} as const;
export type SlFormula = keyof typeof SL_FORMULAS;
export const SL_FORMULA_NAMES = [
  'answered_within_t_over_offered',
  'answered_within_t_over_answered',
  'answered_and_abandoned_within_t_over_offered',
  'answered_within_t_over_answered_and_abandoned_after_t',
] as const satisfies readonly SlFormula[];

const Hhmm = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$' });
// One schema of type ["array", "null"], not a union: Fastify's type coercion rewrites the value
// while trying a union's branches (null became [null], a one-range day its single range).
const DayHours = Type.Optional(
  Type.Unsafe<[string, string][] | null>({ type: ['array', 'null'], items: Type.Tuple([Hhmm, Hhmm]), maxItems: 4 }),
);
export const OpeningHours = Type.Object(
  { mon: DayHours, tue: DayHours, wed: DayHours, thu: DayHours, fri: DayHours, sat: DayHours, sun: DayHours },
  {
    additionalProperties: false,
    description:
      'Local opening hours per weekday, e.g. {"mon": [["08:00", "20:00"]], "sun": null (closed)}; an absent day is open all day',
  },
);

export const SettingsValues = Type.Object({
  threshold_s: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    description: 'T: answered within T seconds counts toward service level',
  }),
  sl_target: Type.Number({ minimum: 0, maximum: 1, description: 'service-level target, 0–1' }),
  short_abandon_s: Type.Integer({
    minimum: 0,
    maximum: 3_600,
    description: 'abandons after waiting less than this are short abandons',
  }),
  sl_formula: Type.Enum([...SL_FORMULA_NAMES], { description: 'which service-level formula this queue reports' }),
  fcr_window_days: Type.Integer({ minimum: 1, maximum: 90, description: 'repeat-contact FCR window' }),
  time_zone: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'IANA time zone; intervals and days are cut in it',
  }),
  opening_hours: OpeningHours,
});
export type SettingsValues = Static<typeof SettingsValues>;

export const SettingsVersion = Type.Object({
  queue: Type.String(),
  version: Type.Integer(),
  effective_from: Type.String({ description: 'ISO instant from which contacts use this version' }),
  changed_at: Type.Union([Type.String(), Type.Null()]),
  changed_by: Type.Union([Type.String(), Type.Null()]),
  settings: SettingsValues,
  previous: Type.Union([SettingsValues, Type.Null()]),
});
export type SettingsVersion = Static<typeof SettingsVersion>;

export const DEFAULT_SETTINGS: SettingsValues = {
  threshold_s: 20,
  sl_target: 0.8,
  short_abandon_s: 5,
  sl_formula: 'answered_within_t_over_offered',
  fcr_window_days: 7,
  time_zone: 'UTC',
  opening_hours: {},
};

export function defaultVersion(queue: string): SettingsVersion {
  return {
    queue,
    version: 0,
    effective_from: new Date(0).toISOString(),
    changed_at: null,
    changed_by: null,
    settings: DEFAULT_SETTINGS,
    previous: null,
  };
}

interface SettingsRow {
  queue: string;
  version: number;
  effective_from: string;
  changed_at: string;
  changed_by: string;
  threshold_s: number;
  sl_target: number;
  short_abandon_s: number;
  sl_formula: string;
  fcr_window_days: number;
  time_zone: string;
  opening_hours: string;
  previous: string;
}

const iso = (chTime: string) => `${chTime.replace(' ', 'T')}Z`;
import { chTime } from '../store/time.js';
export { chTime };

function fromRow(r: SettingsRow): SettingsVersion {
  return {
    queue: r.queue,
    version: Number(r.version),
    effective_from: iso(r.effective_from),
    changed_at: iso(r.changed_at),
    changed_by: r.changed_by,
    settings: {
      threshold_s: Number(r.threshold_s),
      sl_target: Number(r.sl_target),
      short_abandon_s: Number(r.short_abandon_s),
      sl_formula: r.sl_formula as SlFormula,
      fcr_window_days: Number(r.fcr_window_days),
      time_zone: r.time_zone,
      opening_hours: JSON.parse(r.opening_hours || '{}'),
    },
    previous: r.previous ? (JSON.parse(r.previous) as SettingsValues) : null,
  };
}

/** Every version of the given queues (all queues when none given), defaults first, by effective time. */
export async function loadVersions(
  client: ClickHouseClient,
  queues?: string[],
): Promise<Map<string, SettingsVersion[]>> {
  const rows = await (
    await client.query({
      query: `SELECT * FROM queue_settings FINAL WHERE {all:Bool} OR has({queues:Array(String)}, queue) ORDER BY queue, effective_from, version`,
      query_params: { all: queues === undefined, queues: queues ?? [] },
      format: 'JSONEachRow',
    })
  ).json<SettingsRow>();
  const out = new Map<string, SettingsVersion[]>();
  for (const q of queues ?? []) out.set(q, [defaultVersion(q)]);
  for (const row of rows) {
    const list = out.get(row.queue) ?? [defaultVersion(row.queue)];
    list.push(fromRow(row));
    out.set(row.queue, list);
  }
  return out;
}

/** The version in force at instant `ms`. */
export function versionAt(versions: SettingsVersion[], ms: number): SettingsVersion {
  let found = versions[0]!;
  for (const v of versions) if (Date.parse(v.effective_from) <= ms) found = v;
  return found;
}

export function currentVersion(versions: SettingsVersion[], now = Date.now()): SettingsVersion {
  return versionAt(versions, now);
}

export class SettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

// Version numbers come from the store; one writer at a time per process keeps them unique.
let saving: Promise<unknown> = Promise.resolve();

/** Records a new version: the latest version's values, changed by `patch`, from `effectiveFrom`. */
export async function saveSettings(
  client: ClickHouseClient,
  queue: string,
  patch: Partial<SettingsValues>,
  who: string,
  effectiveFrom: number,
  now = Date.now(),
): Promise<SettingsVersion> {
  if (patch.time_zone !== undefined && !isTimeZone(patch.time_zone))
    throw new SettingsError('time_zone', `unknown time zone "${patch.time_zone}"`);
  const run = saving.then(async () => {
    const versions = (await loadVersions(client, [queue])).get(queue)!;
    const latest = versions.reduce((a, b) => (b.version > a.version ? b : a));
    const settings: SettingsValues = { ...latest.settings, ...patch };
    const row = {
      queue,
      version: latest.version + 1,
      effective_from: chTime(effectiveFrom),
      changed_at: chTime(now),
      changed_by: who,
      ...settings,
      opening_hours: JSON.stringify(settings.opening_hours),
      previous: JSON.stringify(latest.settings),
    };
    await client.insert({ table: 'queue_settings', values: [row], format: 'JSONEachRow' });
    return fromRow({
      ...row,
      effective_from: row.effective_from,
      changed_at: row.changed_at,
    } as unknown as SettingsRow);
  });
  saving = run.catch(() => undefined);
  return run;
}
