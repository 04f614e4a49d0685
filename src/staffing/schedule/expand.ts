// Patterns → every concrete shift (day × start × break placement). Each becomes one integer
// variable: the explicit set-covering formulation, exact for any break rules on the grid.
import { FieldError } from './errors.js';
import { DAY_NAMES, SLOTS_PER_DAY, SLOT_MINUTES, dayNameOf, parseClock } from './time.js';
import type { PatternsConfig, RequirementGrid, ShiftVariant } from './types.js';

/** Refuse models too large to solve interactively rather than hang. */
export const MAX_VARIANTS = 200_000;

export function expandShifts(grid: RequirementGrid, config: PatternsConfig): ShiftVariant[] {
  const open = config.openingHours ? parseClock(config.openingHours.start, 'openingHours.start') : 0;
  const close = config.openingHours ? parseClock(config.openingHours.end, 'openingHours.end') : SLOTS_PER_DAY;
  const out: ShiftVariant[] = [];
  config.patterns.forEach((p, pi) => {
    const where = `patterns[${pi}] (${p.name})`;
    const len = Math.round(p.lengthHours * 2);
    const earliest = p.earliestStart !== undefined ? parseClock(p.earliestStart, `${where}.earliestStart`) : open;
    const latest = p.latestStart !== undefined ? parseClock(p.latestStart, `${where}.latestStart`) : close - len;
    if (earliest >= SLOTS_PER_DAY || latest >= SLOTS_PER_DAY) throw new FieldError(where, 'start must be before 24:00');
    const combos = breakPlacements(p.breaks ?? [], len, where);
    const unpaidSlots = (p.breaks ?? [])
      .filter((b) => !b.paid)
      .reduce((s, b) => s + b.durationMinutes / SLOT_MINUTES, 0);
    const cost = (p.costPerHour * (len - unpaidSlots)) / 2;
    const days = new Set(p.days ?? DAY_NAMES);
    for (let d = 0; d < grid.days; d++) {
      if (!days.has(dayNameOf(grid.originMinutes + d * 24 * 60))) continue;
      for (let s = earliest; s <= latest; s++) {
        for (const offsets of combos) {
          const v: ShiftVariant = {
            pattern: pi,
            day: d,
            start: s,
            lengthSlots: len,
            breakOffsets: offsets,
            breakSlots: (p.breaks ?? []).map((b) => b.durationMinutes / SLOT_MINUTES),
            cost,
          };
          if (grid.closed && worksWhenClosed(v, grid)) continue;
          out.push(v);
        }
      }
    }
    if (out.length > MAX_VARIANTS)
      throw new RangeError(`too many shift variants (> ${MAX_VARIANTS}); narrow start or break windows`);
  });
  return out;
}

/** Whether a shift would work a half-hour in which the queue is closed (a whole week wraps, as in the model). */
function worksWhenClosed(v: ShiftVariant, grid: RequirementGrid): boolean {
  const closed = grid.closed!;
  return coveredSlots(v, closed.length, grid.days === 7).some((t) => closed[t] === 1);
}

/** Every placement of the breaks, in order, non-overlapping and inside the shift. */
function breakPlacements(
  breaks: PatternsConfig['patterns'][number]['breaks'] & object,
  len: number,
  where: string,
): number[][] {
  let combos: number[][] = [[]];
  breaks.forEach((b, bi) => {
    const dur = b.durationMinutes / SLOT_MINUTES;
    const lo = b.earliestAfterMinutes / SLOT_MINUTES;
    const hi = (b.latestAfterMinutes ?? b.earliestAfterMinutes) / SLOT_MINUTES;
    if (hi + dur > len) throw new FieldError(`${where}.breaks[${bi}]`, 'ends after the shift');
    const next: number[][] = [];
    for (const c of combos) {
      const prevEnd = c.length ? c[c.length - 1]! + breaks[c.length - 1]!.durationMinutes / SLOT_MINUTES : 0;
      for (let o = Math.max(lo, prevEnd); o <= hi; o++) next.push([...c, o]);
    }
    combos = next;
  });
  if (combos.length === 0) throw new FieldError(`${where}.breaks`, 'windows leave no valid placement');
  return combos;
}

/** Absolute slots (0 … days×48−1) a shift covers; wraps past the horizon end when `wrap`. */
export function coveredSlots(v: ShiftVariant, totalSlots: number, wrap: boolean): number[] {
  const inBreak = new Uint8Array(v.lengthSlots);
  v.breakOffsets.forEach((o, i) => inBreak.fill(1, o, o + v.breakSlots[i]!));
  const out: number[] = [];
  const base = v.day * SLOTS_PER_DAY + v.start;
  for (let i = 0; i < v.lengthSlots; i++) {
    if (inBreak[i]) continue;
    let t = base + i;
    if (t >= totalSlots) {
      if (!wrap) continue;
      t -= totalSlots;
    }
    out.push(t);
  }
  return out;
}
