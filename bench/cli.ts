// bench:cli — prints JSON figures (not a test): wall time of `callcast --help` and of one
// `callcast staffing …` run from the compiled build (node bin/callcast.js, as installed), each as a
// ratio against a bare `node -e 0` measured in the same run. The three are interleaved, run after
// run, so a machine that gets busier or quieter during the bench shifts all three alike; the
// figure is the median of the runs. Target: ratio ≤ 5 for both.
//   npm run bench:cli [-- --runs 10]
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runNode, succeeded } from '../test/support/cli-run.js';

const BIN = fileURLToPath(new URL('../bin/callcast.js', import.meta.url));
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 10;
const TARGET = 5;

if (!existsSync(fileURLToPath(new URL('../dist/src/cli.js', import.meta.url)))) {
  process.stderr.write('bench:cli: dist/ is missing: run npm run build first\n');
  process.exit(1);
}

const CASES: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'callcast --help': [BIN, '--help'],
  'callcast staffing': [
    BIN,
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
  ],
};

async function timeOnce(args: string[]): Promise<number> {
  return succeeded(await runNode(args), `node ${args.join(' ')}`).ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

// One warm-up of each (file-system cache), not counted.
for (const args of Object.values(CASES)) await timeOnce(args);
const times: Record<string, number[]> = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
const loadBefore = loadavg()[0]!;
for (let run = 0; run < RUNS; run++) {
  for (const [name, args] of Object.entries(CASES)) times[name]!.push(await timeOnce(args));
}

const base = median(times['node -e 0']!);
const figure = (name: string) => {
  const ms = median(times[name]!);
  return {
    median_ms: round(ms),
    min_ms: round(Math.min(...times[name]!)),
    max_ms: round(Math.max(...times[name]!)),
    ratio: round(ms / base, 2),
    within_target: ms / base <= TARGET,
  };
};
process.stdout.write(
  `${JSON.stringify(
    {
      runs: RUNS,
      node: process.version,
      cpus: cpus().length,
      load_average_1m: { before: round(loadBefore, 2), after: round(loadavg()[0]!, 2) },
      node_e0: { median_ms: round(base), min_ms: round(Math.min(...times['node -e 0']!)) },
      help: figure('callcast --help'),
      staffing: figure('callcast staffing'),
      target_ratio: TARGET,
    },
    null,
    2,
  )}\n`,
);
