// Shift recommendation: expand patterns, build the integer program, solve it with HiGHS
// (WebAssembly) and report the plan with coverage against the requirement.
import highsImport, { type Highs } from 'highs';
import { expandShifts } from './expand.js';
import { buildScheduleLp } from './model.js';
import { SLOT_MINUTES, SLOTS_PER_DAY, dayNameOf, formatClock, formatDate, formatLocalDateTime } from './time.js';
import type { CoverageRow, PatternsConfig, RequirementGrid, SchedulePlan, ShiftAssignment } from './types.js';

// highs ships CommonJS-typed declarations beside an ESM build, so TypeScript (NodeNext) and the
// runtime disagree on what the default import is: accept either shape.
const loadHighs = ((highsImport as unknown as { default?: unknown }).default ?? highsImport) as () => Promise<Highs>;
let highsPromise: Promise<Highs> | undefined;

/** The HiGHS runtime, loaded once per process. */
export function getHighs(): Promise<Highs> {
  highsPromise ??= loadHighs();
  return highsPromise;
}

export async function recommendShifts(grid: RequirementGrid, config: PatternsConfig): Promise<SchedulePlan> {
  if (grid.required.length !== grid.days * SLOTS_PER_DAY)
    throw new RangeError('requirement grid length must be days × 48');
  const variants = expandShifts(grid, config);
  if (variants.length === 0) throw new RangeError('no shift variant fits the patterns, days and opening hours');
  const built = buildScheduleLp(grid, config, variants);
  const highs = await getHighs();
  const started = performance.now();

  const solved = built.uncoverable.length
    ? null // demand no shift can reach: infeasible without a penalty, no need to ask HiGHS
    : highs.withModel({ format: 'lp', data: built.lp }, (model) => {
        model.options.set({
          output_flag: false,
          time_limit: config.timeLimitSeconds ?? 30,
          mip_rel_gap: config.mipRelGap ?? 1e-4,
        });
        model.run();
        const code = model.getModelStatus();
        const hasPrimal = Number(model.info.get('primal_solution_status')) === 2; // 2 = feasible
        const values = new Map<string, number>();
        if (hasPrimal) {
          const sol = model.getSolution();
          for (let i = 0; i < sol.colValue.length; i++) values.set(model.getColName(i), sol.colValue[i]!);
        }
        let gap: number | null;
        try {
          gap = hasPrimal ? Number(model.info.get('mip_gap')) : null;
        } catch {
          gap = null;
        }
        return { code, hasPrimal, values, gap };
      });
  const solveSeconds = (performance.now() - started) / 1000;

  const statusNames = Object.fromEntries(Object.entries(highs.constants.modelStatus).map(([k, v]) => [v, k])) as Record<
    number,
    string
  >;
  const status = solved ? (statusNames[solved.code] ?? `status ${solved.code}`) : 'infeasible';
  const optimal = solved?.code === highs.constants.modelStatus.optimal;

  const counts = variants.map((_, vi) => Math.round(solved?.values.get(`x${vi}`) ?? 0));
  const scheduled = new Int32Array(grid.required.length);
  counts.forEach((c, vi) => {
    if (c > 0) for (const t of built.covers[vi]!) scheduled[t]! += c;
  });

  const shifts: ShiftAssignment[] = [];
  let shiftCost = 0;
  counts.forEach((c, vi) => {
    if (c <= 0) return;
    const v = variants[vi]!;
    const dayStart = grid.originMinutes + v.day * 24 * 60;
    shiftCost += c * v.cost;
    shifts.push({
      pattern: config.patterns[v.pattern]!.name,
      date: formatDate(dayStart),
      day: dayNameOf(dayStart),
      start: formatClock(v.start),
      end: formatClock(v.start + v.lengthSlots),
      breaks: v.breakOffsets.map(
        (o, i) => `${formatClock(v.start + o)}-${formatClock(v.start + o + v.breakSlots[i]!)}`,
      ),
      agents: c,
      costPerAgent: v.cost,
    });
  });

  const coverage: CoverageRow[] = [];
  let over = 0;
  let under = 0;
  for (let t = 0; t < grid.required.length; t++) {
    const req = grid.required[t]!;
    const got = scheduled[t]!;
    const o = Math.max(0, got - req);
    const u = Math.max(0, req - got);
    over += o;
    under += u;
    coverage.push({
      interval_start: formatLocalDateTime(grid.originMinutes + t * SLOT_MINUTES),
      required: req,
      scheduled: got,
      over: o,
      under: u,
    });
  }
  const understaffingCost =
    config.understaffingPenalty !== undefined && solved?.hasPrimal ? under * config.understaffingPenalty : 0;
  return {
    status,
    optimal,
    gap: solved?.gap ?? null,
    objective: solved?.hasPrimal ? shiftCost + understaffingCost : NaN,
    shiftCost,
    understaffingCost,
    agentsStarted: counts.reduce((a, b) => a + b, 0),
    overstaffedHalfHours: over,
    understaffedHalfHours: under,
    variables:
      variants.length + (config.understaffingPenalty !== undefined ? grid.required.filter((r) => r > 0).length : 0),
    constraints: built.constraints,
    solveSeconds,
    shifts,
    coverage,
  };
}
