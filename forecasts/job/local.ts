// The job's grid in each queue's time zone: history of whole local days on the wall-clock grid
// of 48 slots a day (what the models' daily and weekly seasons assume), and forecasts mapped
// back to the real half-hours of the local days ahead (46 or 50 on a DST change).
//
// History: the repeated hour of a fall-back day holds the mean of its two occurrences (a rate
// per half-hour, like every other slot); the skipped hour of a spring-forward day is the mean
// of the slots either side. Forecast: each real half-hour takes its wall-clock slot's value, so
// the repeated hour is forecast twice and the skipped hour not at all; closed half-hours
// (opening hours) are exactly 0.
import {
  localGrid,
  nextLocalDay,
  openMask,
  startOfLocalDay,
  type LocalGrid,
  type OpeningHours,
} from '../../src/staffing/local.js';
import { DAY_MS, SLOT_MS, type SeriesHistory } from './history.js';

export const SLOTS_PER_DAY = 48;

export interface ContactBounds {
  /** First and last contact.queued before asOf (ms). */
  loMs: number;
  hiMs: number;
}

/** Whole local days of history: [start, end) with end = the earlier of asOf's local midnight and the midnight after the last contact. */
export function localHistoryDays(
  bounds: ContactBounds,
  asOfMs: number,
  maxDays: number,
  tz: string,
): { startMs: number; days: number } | null {
  const end = Math.min(startOfLocalDay(asOfMs, tz), nextLocalDay(startOfLocalDay(bounds.hiMs, tz), tz));
  const first = startOfLocalDay(bounds.loMs, tz);
  let start = end;
  let days = 0;
  // walk back from the end, whole local days, at most maxDays
  while (days < maxDays && start > first) {
    start = startOfLocalDay(start - 3_600_000, tz);
    days++;
  }
  return days > 0 ? { startMs: start, days } : null;
}

/**
 * A series read on the UTC half-hour grid (from `utc.startMs`) as whole local days on the
 * wall-clock grid, empty leading days dropped. Totals (abandons, waits) are kept as read.
 */
export function toLocalSeries(utc: SeriesHistory, startMs: number, days: number, tz: string): LocalSeries | null {
  const grid = localGrid(startMs, days, tz);
  const n = days * SLOTS_PER_DAY;
  const volume = new Float64Array(n);
  const work = new Float64Array(n);
  const handledVolume = new Float64Array(n);
  const seen = new Uint8Array(n);
  for (let i = 0; i < grid.utc.length; i++) {
    const k = (grid.utc[i]! - utc.startMs) / SLOT_MS;
    const v = k >= 0 && k < utc.volume.length && Number.isInteger(k) ? utc.volume[k]! : 0;
    const a = k >= 0 && k < utc.aht.length && Number.isInteger(k) ? utc.aht[k]! : 0;
    const ix = grid.index[i]!;
    volume[ix] = volume[ix]! + v;
    if (a > 0) {
      work[ix] = work[ix]! + v * a;
      handledVolume[ix] = handledVolume[ix]! + v;
    }
    seen[ix] = seen[ix]! + 1;
  }
  const aht = new Float64Array(n);
  for (let ix = 0; ix < n; ix++) {
    if (seen[ix]! > 1) volume[ix] = volume[ix]! / seen[ix]!;
    aht[ix] = handledVolume[ix]! > 0 ? work[ix]! / handledVolume[ix]! : 0;
  }
  // a slot that happened once keeps its AHT exactly as read (no v·a÷v rounding)
  for (let i = 0; i < grid.utc.length; i++) {
    const ix = grid.index[i]!;
    const k = (grid.utc[i]! - utc.startMs) / SLOT_MS;
    if (seen[ix] === 1 && Number.isInteger(k) && k >= 0 && k < utc.aht.length) aht[ix] = utc.aht[k]!;
  }
  for (let ix = 0; ix < n; ix++) {
    if (seen[ix]) continue;
    // the skipped hour of a spring-forward day: the mean of the nearest slots that happened
    let lo = ix - 1;
    while (lo >= 0 && !seen[lo]) lo--;
    let hi = ix + 1;
    while (hi < n && !seen[hi]) hi++;
    const near = [lo, hi].filter((j) => j >= 0 && j < n);
    volume[ix] = near.length ? near.reduce((s, j) => s + volume[j]!, 0) / near.length : 0;
    const withAht = near.filter((j) => aht[j]! > 0);
    aht[ix] = withAht.length ? withAht.reduce((s, j) => s + aht[j]!, 0) / withAht.length : 0;
  }
  let firstBusy = 0;
  while (firstBusy < n && volume[firstBusy] === 0) firstBusy++;
  const cut = Math.floor(firstBusy / SLOTS_PER_DAY);
  if (cut >= days) return null;
  let start = grid.startMs;
  for (let d = 0; d < cut; d++) start = nextLocalDay(start, tz);
  return {
    ...utc,
    startMs: start,
    endMs: grid.endMs,
    tz,
    volume: volume.slice(cut * SLOTS_PER_DAY),
    aht: aht.slice(cut * SLOTS_PER_DAY),
  };
}

export interface LocalSeries extends SeriesHistory {
  /** Local midnight after the last day of history: the forecast origin. */
  endMs: number;
  tz: string;
}

export interface LocalForecast {
  grid: LocalGrid;
  /** 1 where the queue is open. */
  open: Uint8Array;
  /** Per real half-hour: the wall-clock slot's value, 0 where closed. */
  pick(values: Float64Array): Float64Array;
}

/** The real half-hours of `days` local days from `originMs`, with the opening hours applied. */
export function localForecast(originMs: number, days: number, tz: string, hours: OpeningHours | null): LocalForecast {
  const grid = localGrid(originMs, days, tz);
  const open = openMask(grid, hours);
  return {
    grid,
    open,
    pick: (values) => Float64Array.from(grid.index, (ix, i) => (open[i] ? (values[ix] ?? 0) : 0)),
  };
}

export { DAY_MS };
