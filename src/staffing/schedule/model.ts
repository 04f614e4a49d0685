// The shift-recommendation integer program, written as CPLEX LP text for HiGHS:
//   minimise   Σ_v cost_v·x_v + penalty·Σ_t u_t
//   subject to Σ_{v covers t} x_v + u_t ≥ required_t          every half-hour t with demand
//              min_p ≤ Σ_{v of p on day d} x_v ≤ max_p         every pattern p and its days d
//              Σ_{v on day d} x_v ≤ maxPerDay;  Σ_v x_v ≤ maxPerWeek
//              x_v ∈ ℤ≥0,  u_t ≥ 0 (only when an understaffing penalty is set)
import { coveredSlots } from './expand.js';
import type { PatternsConfig, RequirementGrid, ShiftVariant } from './types.js';

export interface BuiltModel {
  lp: string;
  /** Slots each variant covers, for reporting coverage afterwards. */
  covers: number[][];
  constraints: number;
  wrap: boolean;
  /** Half-hours with demand that no shift can cover (only possible without a penalty). */
  uncoverable: number[];
}

export function buildScheduleLp(grid: RequirementGrid, config: PatternsConfig, variants: ShiftVariant[]): BuiltModel {
  const total = grid.required.length;
  // A full week repeats: shifts running past Sunday night cover Monday morning.
  const wrap = grid.days === 7;
  const covers = variants.map((v) => coveredSlots(v, total, wrap));
  const bySlot: number[][] = Array.from({ length: total }, () => []);
  covers.forEach((slots, vi) => slots.forEach((t) => bySlot[t]!.push(vi)));
  const soft = config.understaffingPenalty !== undefined;

  const rows: string[] = [];
  const uncoverable: number[] = [];
  for (let t = 0; t < total; t++) {
    const req = grid.required[t]!;
    if (req <= 0) continue;
    const terms = bySlot[t]!.map((vi) => `x${vi}`);
    if (soft) terms.push(`u${t}`);
    if (terms.length === 0) {
      uncoverable.push(t);
      continue;
    }
    rows.push(row(`cover${t}`, terms, `>= ${req}`));
  }
  const byPatternDay = new Map<string, number[]>();
  const byDay = new Map<number, number[]>();
  variants.forEach((v, vi) => {
    const key = `${v.pattern}_${v.day}`;
    (byPatternDay.get(key) ?? byPatternDay.set(key, []).get(key)!).push(vi);
    (byDay.get(v.day) ?? byDay.set(v.day, []).get(v.day)!).push(vi);
  });
  for (const [key, vis] of byPatternDay) {
    const p = config.patterns[Number(key.split('_')[0])]!;
    const terms = vis.map((vi) => `x${vi}`);
    if (p.min !== undefined && p.min > 0) rows.push(row(`pmin${key}`, terms, `>= ${p.min}`));
    if (p.max !== undefined) rows.push(row(`pmax${key}`, terms, `<= ${p.max}`));
  }
  const cap = config.headcount;
  if (cap?.maxPerDay !== undefined) {
    for (const [d, vis] of byDay)
      rows.push(
        row(
          `day${d}`,
          vis.map((vi) => `x${vi}`),
          `<= ${cap.maxPerDay}`,
        ),
      );
  }
  if (cap?.maxPerWeek !== undefined && variants.length > 0) {
    rows.push(
      row(
        'week',
        variants.map((_, vi) => `x${vi}`),
        `<= ${cap.maxPerWeek}`,
      ),
    );
  }

  const obj = variants.map((v, vi) => `${num(v.cost)} x${vi}`);
  if (soft)
    for (let t = 0; t < total; t++) if (grid.required[t]! > 0) obj.push(`${num(config.understaffingPenalty!)} u${t}`);
  const lp = [
    'Minimize',
    wrapTerms(' obj: ', obj.length ? obj : ['0 x0']),
    'Subject To',
    ...(rows.length ? rows : [' none: x0 >= 0']),
    'Bounds',
    ...variants.map((_, vi) => ` x${vi} >= 0`),
    'Generals',
    ...chunk(
      variants.map((_, vi) => `x${vi}`),
      20,
    ).map((c) => ' ' + c.join(' ')),
    'End',
    '',
  ].join('\n');
  return { lp, covers, constraints: rows.length, wrap, uncoverable };
}

function row(name: string, terms: string[], rhs: string): string {
  return wrapTerms(` ${name}: `, terms, ' + ') + ` ${rhs}`;
}

// Keep LP lines short: the format allows a row to continue on following lines.
function wrapTerms(prefix: string, terms: string[], sep = ' + '): string {
  return (
    prefix +
    chunk(terms, 20)
      .map((c) => c.join(sep))
      .join(`\n${sep}`)
  );
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(12).replace(/\.?0+$/, '');
}
