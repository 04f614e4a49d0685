// `callcast report voc` as a process against its own embedded store (empty: every figure 0
// or null); a bad --week in-process.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { parseWeekOption, registerReportCommands } from '../../src/cli/report.js';
import { callcast as run } from '../support/cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'callcast-report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const callcast = (...args: string[]) =>
  run(args, { env: { CALLCAST_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' } });

describe('callcast report voc', () => {
  it('builds the report of a finished week from the store, writes it to --out and stores it', async () => {
    const out = join(dir, 'w47.json');
    const r = await callcast('report', 'voc', '--week', '2026-W47', '--out', out, '--as-of', '2026-12-01T00:00:00Z');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`callcast: VOC report 2026-W47 (all queues) written to ${out}, stored\n`);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report).toMatchObject({
      kind: 'voc',
      week: '2026-W47',
      queue: null,
      time_zone: 'UTC',
      from: '2026-11-16T00:00:00.000Z',
      reasons: [],
      surges: [],
      service_level: [],
    });
    expect(report.headline.nps).toEqual({
      value: null,
      n: 0,
      ci95: null,
      previous: null,
      previous_n: 0,
      change: null,
      p_value: null,
      significant: false,
    });
  }, 90_000);

  it('refuses a malformed week, naming the option (commander, in-process: no second process start)', async () => {
    const program = new Command('callcast')
      .exitOverride()
      .configureOutput({ writeErr: (t) => errors.push(t), writeOut: () => {} });
    const errors: string[] = [];
    registerReportCommands(program);
    await expect(program.parseAsync(['node', 'callcast', 'report', 'voc', '--week', '2026-47'])).rejects.toThrow();
    expect(errors.join('')).toContain(
      "option '--week <iso-week>' argument '2026-47' is invalid. expected an ISO week like 2026-W47",
    );
    expect(() => parseWeekOption('2025-W53')).toThrow('expected an ISO week like 2026-W47, got "2025-W53"');
    expect(parseWeekOption('2026-W53')).toEqual({ year: 2026, week: 53 });
  });
});
