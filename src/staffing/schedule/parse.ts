// Text formats of `callcast schedule` (see docs/staffing.md): parsing only, no file access.
import { FieldError } from './errors.js';
import { DAY_NAMES, SLOTS_PER_DAY, SLOT_MINUTES, parseClock, parseLocalDateTime, type DayName } from './time.js';
import type { BreakRule, PatternsConfig, RequirementGrid, ShiftPattern } from './types.js';

/**
 * req.csv: a header with `interval_start` and `required` (other columns ignored), one row per
 * half-hour. Timestamps are wall-clock `YYYY-MM-DDTHH:MM`; the horizon starts at midnight of the
 * earliest date and spans at most 7 days; missing half-hours require 0. Fractional requirements
 * are rounded up.
 */
export function parseRequirementsCsv(text: string): RequirementGrid {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = lines.shift();
  if (header === undefined) throw new FieldError('requirements', 'empty file');
  const cols = header.split(',').map((c) => c.trim().toLowerCase());
  const iStart = cols.indexOf('interval_start');
  const iReq = cols.indexOf('required');
  if (iStart < 0 || iReq < 0)
    throw new FieldError('requirements', 'header must name columns interval_start and required');
  const entries: { minutes: number; required: number }[] = [];
  lines.forEach((line, idx) => {
    const cells = line.split(',').map((c) => c.trim());
    const where = `requirements line ${idx + 2}`;
    const minutes = parseLocalDateTime(cells[iStart] ?? '', `${where} interval_start`);
    if (minutes % SLOT_MINUTES !== 0) throw new FieldError(where, 'interval_start must be on the half-hour grid');
    const required = Number(cells[iReq]);
    if (!(cells[iReq] ?? '') || !Number.isFinite(required) || required < 0) {
      throw new FieldError(where, `required must be a number ≥ 0, got "${cells[iReq] ?? ''}"`);
    }
    entries.push({ minutes, required });
  });
  if (entries.length === 0) throw new FieldError('requirements', 'no rows');
  const first = Math.min(...entries.map((e) => e.minutes));
  const origin = first - (first % (24 * 60));
  const last = Math.max(...entries.map((e) => e.minutes));
  const days = Math.floor((last - origin) / (24 * 60)) + 1;
  if (days > 7) throw new FieldError('requirements', `span ${days} days; at most one week (7 days) per plan`);
  const required = new Int32Array(days * SLOTS_PER_DAY);
  const seen = new Set<number>();
  for (const e of entries) {
    const slot = (e.minutes - origin) / SLOT_MINUTES;
    if (seen.has(slot)) throw new FieldError('requirements', `duplicate interval_start at slot ${slot}`);
    seen.add(slot);
    required[slot] = Math.ceil(e.required - 1e-9);
  }
  return { originMinutes: origin, days, required };
}

/** Validates patterns.json, naming the offending field in every error. */
export function parsePatterns(value: unknown): PatternsConfig {
  const root = obj(value, 'patterns.json');
  const patternsRaw = root['patterns'];
  if (!Array.isArray(patternsRaw) || patternsRaw.length === 0)
    throw new FieldError('patterns', 'must be a non-empty array');
  const config: PatternsConfig = { patterns: patternsRaw.map((p, i) => parsePattern(p, `patterns[${i}]`)) };
  const names = new Set<string>();
  for (const p of config.patterns) {
    if (names.has(p.name)) throw new FieldError('patterns', `duplicate name "${p.name}"`);
    names.add(p.name);
  }
  if (root['openingHours'] !== undefined) {
    const oh = obj(root['openingHours'], 'openingHours');
    const start = str(oh['start'], 'openingHours.start');
    const end = str(oh['end'], 'openingHours.end');
    if (parseClock(end, 'openingHours.end') <= parseClock(start, 'openingHours.start')) {
      throw new FieldError('openingHours', 'end must be after start (use pattern start windows for overnight shifts)');
    }
    config.openingHours = { start, end };
  }
  if (root['headcount'] !== undefined) {
    const h = obj(root['headcount'], 'headcount');
    config.headcount = {};
    if (h['maxPerDay'] !== undefined) config.headcount.maxPerDay = int(h['maxPerDay'], 'headcount.maxPerDay');
    if (h['maxPerWeek'] !== undefined) config.headcount.maxPerWeek = int(h['maxPerWeek'], 'headcount.maxPerWeek');
  }
  if (root['understaffingPenalty'] !== undefined)
    config.understaffingPenalty = nonNeg(root['understaffingPenalty'], 'understaffingPenalty');
  if (root['timeLimitSeconds'] !== undefined)
    config.timeLimitSeconds = positive(root['timeLimitSeconds'], 'timeLimitSeconds');
  if (root['mipRelGap'] !== undefined) config.mipRelGap = nonNeg(root['mipRelGap'], 'mipRelGap');
  return config;
}

function parsePattern(value: unknown, where: string): ShiftPattern {
  const p = obj(value, where);
  const lengthHours = positive(p['lengthHours'], `${where}.lengthHours`);
  if (!Number.isInteger(lengthHours * 2) || lengthHours > 24)
    throw new FieldError(`${where}.lengthHours`, `a multiple of 0.5 up to 24, got ${lengthHours}`);
  const out: ShiftPattern = {
    name: str(p['name'], `${where}.name`),
    lengthHours,
    costPerHour: nonNeg(p['costPerHour'], `${where}.costPerHour`),
  };
  if (p['earliestStart'] !== undefined) {
    out.earliestStart = str(p['earliestStart'], `${where}.earliestStart`);
    parseClock(out.earliestStart, `${where}.earliestStart`);
  }
  if (p['latestStart'] !== undefined) {
    out.latestStart = str(p['latestStart'], `${where}.latestStart`);
    parseClock(out.latestStart, `${where}.latestStart`);
  }
  if (p['days'] !== undefined) {
    if (!Array.isArray(p['days'])) throw new FieldError(`${where}.days`, `must be an array of ${DAY_NAMES.join('/')}`);
    out.days = p['days'].map((d, j) => {
      const name = String(d).toLowerCase().slice(0, 3) as DayName;
      if (!DAY_NAMES.includes(name)) throw new FieldError(`${where}.days[${j}]`, `unknown day "${String(d)}"`);
      return name;
    });
  }
  if (p['breaks'] !== undefined) {
    if (!Array.isArray(p['breaks'])) throw new FieldError(`${where}.breaks`, 'must be an array');
    out.breaks = p['breaks'].map((b, j) => parseBreak(b, `${where}.breaks[${j}]`));
  }
  if (p['min'] !== undefined) out.min = int(p['min'], `${where}.min`);
  if (p['max'] !== undefined) out.max = int(p['max'], `${where}.max`);
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) throw new FieldError(where, 'min > max');
  return out;
}

function parseBreak(value: unknown, where: string): BreakRule {
  const b = obj(value, where);
  const br: BreakRule = {
    durationMinutes: positive(b['durationMinutes'], `${where}.durationMinutes`),
    earliestAfterMinutes: nonNeg(b['earliestAfterMinutes'], `${where}.earliestAfterMinutes`),
  };
  if (b['latestAfterMinutes'] !== undefined)
    br.latestAfterMinutes = nonNeg(b['latestAfterMinutes'], `${where}.latestAfterMinutes`);
  if (b['paid'] !== undefined) {
    if (typeof b['paid'] !== 'boolean') throw new FieldError(`${where}.paid`, 'must be true or false');
    br.paid = b['paid'];
  }
  for (const k of ['durationMinutes', 'earliestAfterMinutes', 'latestAfterMinutes'] as const) {
    const v = br[k];
    if (v !== undefined && v % SLOT_MINUTES !== 0)
      throw new FieldError(`${where}.${k}`, `must be a multiple of ${SLOT_MINUTES}`);
  }
  if ((br.latestAfterMinutes ?? br.earliestAfterMinutes) < br.earliestAfterMinutes)
    throw new FieldError(where, 'latestAfterMinutes < earliestAfterMinutes');
  return br;
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FieldError(where, 'must be an object');
  return v as Record<string, unknown>;
}
function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') throw new FieldError(where, 'must be a non-empty string');
  return v;
}
function nonNeg(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new FieldError(where, 'must be a number ≥ 0');
  return v;
}
function positive(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new FieldError(where, 'must be a number > 0');
  return v;
}
function int(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new FieldError(where, 'must be an integer ≥ 0');
  return v;
}
