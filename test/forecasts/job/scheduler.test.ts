// The nightly schedule: CALLCAST_FORECAST_SCHEDULE parsing, next run time, one run per tick.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.js';
import { nextRunAt, startForecastScheduler } from '../../../forecasts/job/scheduler.js';
import type { ForecastRunner, RunState } from '../../../forecasts/job/runner.js';
import { parseHorizonDays } from '../../../src/cli/forecast-run.js';

afterEach(() => vi.useRealTimers());

describe('CALLCAST_FORECAST_SCHEDULE', () => {
  it('defaults to 02:00 UTC, takes HH:MM or off, and names the variable when wrong', () => {
    expect(loadConfig({}).forecastSchedule).toEqual({ hour: 2, minute: 0 });
    expect(loadConfig({ CALLCAST_FORECAST_SCHEDULE: '23:45' }).forecastSchedule).toEqual({ hour: 23, minute: 45 });
    expect(loadConfig({ CALLCAST_FORECAST_SCHEDULE: 'OFF' }).forecastSchedule).toBe('off');
    for (const bad of ['24:00', '2:00', 'nightly']) {
      expect(() => loadConfig({ CALLCAST_FORECAST_SCHEDULE: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ CALLCAST_FORECAST_SCHEDULE: bad })).toThrow(
        /^CALLCAST_FORECAST_SCHEDULE: expected HH:MM/,
      );
    }
  });
});

describe('scheduler', () => {
  it('next run is the next hh:mm UTC strictly after now', () => {
    expect(new Date(nextRunAt({ hour: 2, minute: 0 }, Date.parse('2026-11-23T01:59:00Z'))).toISOString()).toBe(
      '2026-11-23T02:00:00.000Z',
    );
    expect(new Date(nextRunAt({ hour: 2, minute: 0 }, Date.parse('2026-11-23T02:00:00Z'))).toISOString()).toBe(
      '2026-11-24T02:00:00.000Z',
    );
    expect(new Date(nextRunAt({ hour: 0, minute: 30 }, Date.parse('2026-12-31T23:00:00Z'))).toISOString()).toBe(
      '2027-01-01T00:30:00.000Z',
    );
  });

  it('starts one run per day at that time, with asOf = the tick time', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T01:00:00Z') });
    const asOfs: number[] = [];
    const runner = {
      start(o: { asOf?: number }) {
        asOfs.push(o.asOf!);
        const state: RunState = { runId: `r${asOfs.length}`, status: 'ok', startedAt: '' };
        return { state, started: true, done: Promise.resolve() };
      },
      idle: () => Promise.resolve(),
    } as unknown as ForecastRunner;
    const log = { info: () => undefined, error: () => undefined };
    const s = startForecastScheduler(runner, { hour: 2, minute: 0 }, log);
    expect(new Date(s.next()).toISOString()).toBe('2026-11-23T02:00:00.000Z');
    await vi.advanceTimersByTimeAsync(59 * 60_000);
    expect(asOfs).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(asOfs.map((t) => new Date(t).toISOString())).toEqual(['2026-11-23T02:00:00.000Z']);
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(asOfs).toHaveLength(2);
    await s.stop();
    await vi.advanceTimersByTimeAsync(2 * 86_400_000);
    expect(asOfs).toHaveLength(2);
  });
});

describe('forecast run --horizon', () => {
  it('takes weeks, days or a day count', () => {
    expect([parseHorizonDays('6w'), parseHorizonDays('45d'), parseHorizonDays('42')]).toEqual([42, 45, 42]);
    expect(() => parseHorizonDays('0')).toThrow(/expected e\.g\. 6w/);
    expect(() => parseHorizonDays('6m')).toThrow(/expected e\.g\. 6w/);
  });
});
