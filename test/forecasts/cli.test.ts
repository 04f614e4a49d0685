import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerForecastCommands } from '../../src/cli/forecast.js';

const dir = mkdtempSync(join(tmpdir(), 'callcast-forecast-'));
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

async function run(args: string[]): Promise<void> {
  const program = new Command('callcast').exitOverride();
  registerForecastCommands(program);
  await program.parseAsync(['node', 'callcast', ...args]);
}

describe('callcast forecast (CSV in → CSV out)', () => {
  it('writes the exact columns and continues a full-day half-hour calendar', async () => {
    const start = Date.UTC(2024, 0, 1, 0, 0);
    const rows = ['ts,volume'];
    for (let t = 0; t < 3 * 7 * 48; t++) rows.push(`${iso(start + t * 1_800_000)},${t % 48 < 16 ? 0 : 10 + (t % 7)}`);
    const input = join(dir, 'full.csv');
    const output = join(dir, 'full-out.csv');
    writeFileSync(input, `${rows.join('\n')}\n`);
    await run([
      'forecast',
      '--input',
      input,
      '--season',
      '48',
      '--horizon',
      '50',
      '--output',
      output,
      '--selection-origins',
      '1',
    ]);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('ts,forecast,lo80,hi80,lo95,hi95,model');
    expect(lines.length).toBe(51);
    const last = start + (3 * 7 * 48 - 1) * 1_800_000;
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(
      Array.from({ length: 50 }, (_, i) => iso(last + (i + 1) * 1_800_000)),
    );
    // midnight to 08:00 was always zero: closed, exactly 0
    expect(lines[1]).toBe(`${iso(last + 1_800_000)},0,0,0,0,0,closed`);
    for (const l of lines.slice(1))
      expect(
        l
          .split(',')
          .slice(1, 6)
          .every((v) => Number(v) >= 0),
      ).toBe(true);
  });

  it('continues an open-hours-only, weekdays-only slot pattern', async () => {
    // 3 hourly slots (09:00–11:00) on Monday–Friday, 4 weeks; 2024-01-01 is a Monday
    const rows = ['ts,volume'];
    for (let d = 0; d < 28; d++) {
      const day = Date.UTC(2024, 0, 1 + d);
      const weekday = new Date(day).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      for (let s = 0; s < 3; s++) rows.push(`${iso(day + (9 + s) * 3_600_000)},${5 + s + weekday}`);
    }
    const input = join(dir, 'open.csv');
    const output = join(dir, 'open-out.csv');
    writeFileSync(input, `${rows.join('\n')}\n`);
    await run(['forecast', '--input', input, '--season', '3', '--week', '5', '--horizon', '5', '--output', output]);
    const ts = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    // input ends Friday 2024-01-26 11:00 → next Monday
    expect(ts).toEqual([
      '2024-01-29T09:00:00',
      '2024-01-29T10:00:00',
      '2024-01-29T11:00:00',
      '2024-01-30T09:00:00',
      '2024-01-30T10:00:00',
    ]);
    // this series repeats exactly every week, so the forecast is exact
    const values = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[1]));
    expect(values).toEqual([6, 7, 8, 7, 8]);
  });

  it('gives the same file twice (deterministic)', async () => {
    const input = join(dir, 'full.csv');
    await run([
      'forecast',
      '--input',
      input,
      '--season',
      '48',
      '--horizon',
      '20',
      '--output',
      join(dir, 'a.csv'),
      '--selection-origins',
      '1',
    ]);
    await run([
      'forecast',
      '--input',
      input,
      '--season',
      '48',
      '--horizon',
      '20',
      '--output',
      join(dir, 'b.csv'),
      '--selection-origins',
      '1',
    ]);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe(readFileSync(join(dir, 'b.csv'), 'utf8'));
  });
});
