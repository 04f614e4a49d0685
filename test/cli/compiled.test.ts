// The compiled build (dist/, made by `npm ci` through `prepare`) runs without a TypeScript loader
// and finds the files it reads at run time: the sql/ migrations, the wallboard page, the forecast
// worker. beforeAll rebuilds dist/ only when a source is newer than the last build.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runNode, succeeded } from '../support/cli-run.js';

const dataDir = mkdtempSync(join(tmpdir(), 'callcast-dist-'));

async function node(args: string[], env: Record<string, string> = {}) {
  return succeeded(await runNode(args, { env }), `node ${args[0]}`);
}

beforeAll(async () => {
  await node(['bin/build.js', '--if-stale']);
}, 300_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('compiled build (bin/callcast.js → dist/)', () => {
  it('runs a command with plain node', async () => {
    const { stdout } = await node([
      'bin/callcast.js',
      'staffing',
      '--calls',
      '100',
      '--interval',
      '1800',
      '--aht',
      '180',
      '--sl',
      '0.8',
      '--threshold',
      '20',
    ]);
    // 100 calls in 30 min at 180 s = 10 Erlangs; Erlang C, 14 agents: SL(20 s) 0.88835, ASA 7.84 s (test/staffing).
    // snake_case as in the API, then the deprecated names first shipped, same values.
    expect(stdout).toBe(
      '{"agents":14,"scheduled":14,"service_level":0.88835,"asa_s":7.835937,"occupancy":0.714286,"abandon_rate":0,' +
        '"model":"erlang-c","serviceLevel":0.88835,"asa":7.835937,"abandonRate":0}\n',
    );
  });

  it('migrate applies every file of sql/ (found from dist/ through the project root)', async () => {
    const { stdout } = await node(['bin/callcast.js', 'migrate'], { CALLCAST_DATA_DIR: dataDir });
    const expected = readdirSync(join(ROOT, 'sql'))
      .filter((f) => /^\d+_.*\.sql$/.test(f))
      .sort()
      .map((f) => f.replace(/\.sql$/, ''));
    expect(JSON.parse(stdout).applied).toEqual(expected);
  }, 120_000);

  it('serves the wallboard page copied beside the compiled routes', async () => {
    const { stdout } = await node([
      '--input-type=module',
      '-e',
      `const { readFileSync } = await import('node:fs');
       await import(${JSON.stringify(join(ROOT, 'dist/src/api/routes/web.js'))});
       process.stdout.write(String(readFileSync(${JSON.stringify(join(ROOT, 'src/web/wallboard.html'))}, 'utf8').length));`,
    ]);
    expect(Number(stdout)).toBeGreaterThan(1000);
  });

  it('fits forecasts on worker threads from worker.js (no TypeScript loader in the thread)', async () => {
    // A script file, not `node -e`: worker threads inherit the parent's command-line flags.
    const script = join(dataDir, 'pool.mjs');
    writeFileSync(
      script,
      `const { fitAll } = await import(${JSON.stringify(join(ROOT, 'dist/forecasts/job/pool.js'))});
       const n = 48 * 7 * 8;
       const series = (f) => Float64Array.from({ length: n }, (_, i) => f(i));
       const input = { volume: series((i) => 50 + 20 * Math.sin((i / 48) * 2 * Math.PI)), aht: series(() => 300), horizon: 96 };
       const inline = await fitAll([input, input], 0);
       const threads = await fitAll([input, input], 2);
       process.stdout.write(JSON.stringify({
         errors: threads.filter((r) => 'error' in r).length,
         same: JSON.stringify(Array.from(inline[1].output.volume)) === JSON.stringify(Array.from(threads[1].output.volume)),
       }));`,
    );
    const { stdout } = await node([script]);
    expect(JSON.parse(stdout)).toEqual({ errors: 0, same: true });
  }, 120_000);
});
