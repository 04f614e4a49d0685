// History days the models should not learn the weekly shape from. A day the queue's calendar
// closes, a calendar event day, and a day with no contacts at all while the same weekday one or
// two weeks either side had some (a holiday or an outage nobody entered in the calendar) are
// replaced by those neighbouring weekdays before fitting (forecasts/special-days.ts), so one of
// them does not pull next week's forecast down. The days ahead take the calendar's factor in the
// job (run.ts), not a multiplier learned here.
import { SLOTS_PER_DAY } from './local.js';

/** Code of a day the calendar closes or an empty day among open neighbours. */
export const CLOSED_DAY = 1;
/** Code of a calendar event day (its level is the planner's multiplier, not the history's). */
export const EVENT_DAY = 2;

/**
 * One code per history day (0 = ordinary). `dates[d]` is the local date of day d; `factors` the
 * queue's calendar (0 = closed, else an event's multiplier; absent = ordinary).
 */
export function historyDayCodes(
  volume: Float64Array,
  dates: readonly string[],
  factors: ReadonlyMap<string, number>,
): Int32Array {
  const days = Math.floor(volume.length / SLOTS_PER_DAY);
  const total = new Float64Array(days);
  for (let d = 0; d < days; d++)
    for (let s = 0; s < SLOTS_PER_DAY; s++) total[d] = total[d]! + volume[d * SLOTS_PER_DAY + s]!;
  const codes = new Int32Array(days);
  for (let d = 0; d < days; d++) {
    const factor = factors.get(dates[d]!);
    if (factor === 0) codes[d] = CLOSED_DAY;
    else if (factor !== undefined) codes[d] = EVENT_DAY;
    else if (total[d] === 0 && [d - 7, d + 7, d - 14, d + 14].some((n) => n >= 0 && n < days && total[n]! > 0))
      codes[d] = CLOSED_DAY;
  }
  return codes;
}
