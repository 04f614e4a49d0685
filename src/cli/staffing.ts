// `callcast staffing` (Erlang sizing of one interval) and `callcast schedule` (shift plan).
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';

type Check = (v: number) => boolean;

// A commander argument parser that names the rule broken; commander adds the flag name.
function numberFlag(rule: string, ok: Check): (raw: string) => number {
  return (raw: string) => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || !ok(v)) throw new InvalidArgumentError(`expected ${rule}.`);
    return v;
  };
}

const nonNegative = numberFlag('a number ≥ 0', (v) => v >= 0);
const positive = numberFlag('a number > 0', (v) => v > 0);
const fraction = numberFlag('a fraction in [0, 1]', (v) => v >= 0 && v <= 1);
const occupancy = numberFlag('a fraction in (0, 1]', (v) => v > 0 && v <= 1);
const shrinkage = numberFlag('a fraction in [0, 1)', (v) => v >= 0 && v < 1);
const positiveInt = numberFlag('an integer ≥ 1', (v) => Number.isInteger(v) && v >= 1);

interface StaffingOptions {
  calls: number;
  interval: number;
  aht: number;
  sl: number;
  threshold: number;
  asa?: number;
  patience?: number;
  maxOccupancy: number;
  shrinkage: number;
  concurrency: number;
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v);

export function registerStaffingCommands(program: Command): void {
  program
    .command('staffing')
    .description('Agents needed for one interval (Erlang C, or Erlang A when --patience is given)')
    .requiredOption('--calls <n>', 'contacts offered in the interval', nonNegative)
    .option('--interval <seconds>', 'interval length in seconds', positive, 1800)
    .requiredOption('--aht <seconds>', 'average handle time in seconds', positive)
    .requiredOption('--sl <fraction>', 'service-level target, e.g. 0.8', fraction)
    .requiredOption('--threshold <seconds>', 'service-level threshold in seconds, e.g. 20', nonNegative)
    .option('--asa <seconds>', 'ASA target in seconds (mean wait of all contacts)', nonNegative)
    .option('--patience <seconds>', 'mean caller patience in seconds: selects Erlang A', positive)
    .option('--max-occupancy <fraction>', 'maximum agent occupancy', occupancy, 1)
    .option(
      '--shrinkage <fraction>',
      'share of paid time unavailable; scheduled = ceil(agents / (1 − shrinkage))',
      shrinkage,
      0,
    )
    .option('--concurrency <n>', 'contacts one agent handles at once (chat)', positiveInt, 1)
    .action(async (opts: StaffingOptions) => {
      const { grossUp, requiredAgents } = await import('../staffing/required.js');
      const result = requiredAgents(
        {
          volume: opts.calls,
          intervalSeconds: opts.interval,
          aht: opts.aht,
          patience: opts.patience ?? null,
          concurrency: opts.concurrency,
        },
        { serviceLevel: opts.sl, threshold: opts.threshold, asa: opts.asa ?? null, maxOccupancy: opts.maxOccupancy },
      );
      if (!result.met) {
        process.stderr.write(
          `callcast staffing: targets unreachable: ${result.reason ?? 'no agent count meets them'}\n`,
        );
        process.exitCode = 1;
        return;
      }
      const m = result.metrics;
      // Names and units as in the API; serviceLevel, asa and abandonRate are the deprecated
      // names this command printed first (kept for scripts that read them).
      process.stdout.write(
        JSON.stringify({
          agents: result.agents,
          scheduled: grossUp(result.agents, opts.shrinkage),
          service_level: round(m.serviceLevel),
          asa_s: round(m.asa),
          occupancy: round(m.occupancy),
          abandon_rate: round(m.abandon),
          model: result.model,
          serviceLevel: round(m.serviceLevel),
          asa: round(m.asa),
          abandonRate: round(m.abandon),
        }) + '\n',
      );
    });

  program
    .command('schedule')
    .description('Recommend how many agents start on each shift pattern (integer program, HiGHS)')
    .requiredOption('--requirements <file>', 'CSV with columns interval_start,required (half-hours, ≤ 7 days)')
    .requiredOption('--patterns <file>', 'JSON with allowed shift patterns (see docs/staffing.md)')
    .action(async (opts: { requirements: string; patterns: string }) => {
      const { parsePatterns, parseRequirementsCsv, recommendShifts } = await import('../staffing/schedule/index.js');
      const grid = parseRequirementsCsv(await readText(opts.requirements, '--requirements'));
      let json: unknown;
      const text = await readText(opts.patterns, '--patterns');
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new Error(`--patterns: ${opts.patterns} is not valid JSON (${(e as Error).message})`, { cause: e });
      }
      const [plan, { snakeKeys }] = await Promise.all([
        recommendShifts(grid, parsePatterns(json)),
        import('./output.js'),
      ]);
      process.stdout.write(JSON.stringify(snakeKeys(plan), null, 2) + '\n');
      if (plan.objective !== plan.objective) process.exitCode = 1; // NaN: no feasible plan
    });
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${flag}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
      cause: e,
    });
  }
}
