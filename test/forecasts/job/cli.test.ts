// `callcast forecast run` as a process against an embedded store seeded here; the offline
// `forecast` keeps its required flags.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../../support/temp-store.js';
import { seedHistory } from './seed.js';
import { Command } from 'commander';
import { registerForecastCommands } from '../../../src/cli/forecast.js';

const run = promisify(execFile);
const cli = ['node_modules/.bin/tsx', 'src/cli.ts'];
let t: TempStore;

beforeAll(async () => {
  t = await openTempStore();
  await seedHistory(t.store, { days: 14, queues: 1 });
  await t.store.close(); // the CLI process opens the same directory
}, 120_000);
afterAll(async () => {
  const { rmSync } = await import('node:fs');
  rmSync(t.dir, { recursive: true, force: true });
});

const env = () => ({ ...process.env, CALLCAST_DATA_DIR: t.dir, CLICKHOUSE_URL: '' });

describe('callcast forecast run', () => {
  it('forecasts every channel of the store a week ahead and prints the summary', async () => {
    const { stdout, stderr } = await run(
      cli[0]!,
      [cli[1]!, 'forecast', 'run', '--horizon', '1w', '--workers', '0', '--as-of', '2026-09-21T06:00:00Z'],
      { env: env() },
    );
    const out = JSON.parse(stdout);
    // billing is closed on 2026-09-07 (a public holiday) and on Sundays: history runs from its first
    // contact's day to the midnight after its last one (Saturday 09-19)
    expect([out.historyStart, out.origin, out.horizon, out.forecastRows, out.requirementRows]).toEqual([
      '2026-09-08T00:00:00.000Z',
      '2026-09-20T00:00:00.000Z',
      336,
      4 * 336,
      4 * 336,
    ]);
    expect(out.series.map((s: any) => `${s.queue}/${s.channel}:${s.status}`)).toEqual([
      'billing/chat:ok',
      'billing/email:ok',
      'billing/messaging:ok',
      'billing/voice:ok',
    ]);
    // not a terminal: structured progress lines on stderr
    const progress = stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(progress.map((p) => p.stage)).toContain('fit');
    expect(progress.at(-1)).toMatchObject({ stage: 'write', done: 3, total: 3, cmd: 'forecast run' });
  }, 60_000);

  it('refuses a bad --horizon naming it; offline forecast still requires --input', async () => {
    const parse = async (args: string[]) => {
      const program = new Command('callcast').exitOverride().configureOutput({ writeErr: () => undefined });
      registerForecastCommands(program);
      return program.parseAsync(['node', 'callcast', ...args]).then(
        () => null,
        (e: Error) => e.message,
      );
    };
    expect(await parse(['forecast', 'run', '--horizon', '6m'])).toBe(
      "error: option '--horizon <duration>' argument '6m' is invalid. expected e.g. 6w, 42d or 42 (1 day to 366 days)",
    );
    expect(await parse(['forecast', '--season', '48', '--horizon', '10', '--output', '/dev/null'])).toBe(
      "error: required option '--input <file>' not specified",
    );
  });
});
