// `callcast forecast` (offline: CSV in, CSV out) and `callcast backtest` (prints JSON).
// `forecast` is a commander command with its own action, so a `forecast run` subcommand (the
// database job) can be added later with `forecastCommand.command('run')`: commander runs the
// subcommand's action when its name follows, and this action otherwise (checked with commander 14).
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { ForecastOptions } from '../../forecasts/pipeline.js';
import type { futureCalendar, Series } from '../../forecasts/io/series-csv.js';
import { registerForecastRun } from './forecast-run.js';
import { snakeKeys } from './output.js';

const positiveInt =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };

interface CommonOptions {
  input: string;
  season: number;
  week: number;
  horizon: number;
  holidays?: string;
  models?: string;
  selectionOrigins: number;
}

/** A progress bar on a terminal, structured JSON log lines on stderr otherwise. */
async function progressReporter(label: string): Promise<{
  update: (stage: string, done: number, total: number) => void;
  stop: () => void;
}> {
  if (process.stderr.isTTY) {
    const { SingleBar, Presets } = await import('cli-progress');
    const bar = new SingleBar(
      { stream: process.stderr, format: `${label} {stage} [{bar}] {value}/{total}`, hideCursor: true },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update: (stage, done, total) => {
        if (!started) {
          bar.start(total, done, { stage });
          started = true;
        } else bar.update(done, { stage });
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  const { pino } = await import('pino');
  const log = pino({ base: { cmd: label } }, pino.destination(2));
  return { update: (stage, done, total) => log.info({ stage, done, total }, 'progress'), stop: () => undefined };
}

async function load(
  options: CommonOptions,
  horizon: number,
): Promise<{ series: Series; forecast: ForecastOptions; future: ReturnType<typeof futureCalendar> }> {
  const [{ futureCalendar, parseSeriesCsv }, { parseHolidaysCsv, specialDaysFor }, { isoDate }] = await Promise.all([
    import('../../forecasts/io/series-csv.js'),
    import('../../forecasts/io/holidays.js'),
    import('../../forecasts/io/timestamps.js'),
  ]);
  const series = parseSeriesCsv(readFileSync(options.input, 'utf8'), options.season, options.week);
  const future = futureCalendar(series, horizon);
  const forecast: ForecastOptions = {
    season: options.season,
    week: options.week,
    horizon,
    selectionOrigins: options.selectionOrigins,
    ...(series.filled > 0 ? { missing: series.missing } : {}), // imputed days: never scored, never learnt from
    ...(options.models ? { models: options.models.split(',').map((m) => m.trim()) } : {}),
  };
  if (options.holidays) {
    const calendar = parseHolidaysCsv(readFileSync(options.holidays, 'utf8'));
    const { codes, multipliers } = specialDaysFor(calendar, [...series.days, ...future.days].map(isoDate));
    forecast.special = { codes, multipliers };
  }
  return { series, forecast, future };
}

function withCommonOptions(command: Command): Command {
  return command
    .requiredOption('--input <file>', 'CSV with columns ts,volume, one row per interval in time order')
    .requiredOption('--season <n>', 'intervals per day (48 for half-hours over 24 h)', positiveInt('--season'))
    .option('--week <n>', 'days per week', positiveInt('--week'), 7)
    .requiredOption('--horizon <n>', 'intervals to forecast', positiveInt('--horizon'))
    .option('--holidays <file>', 'CSV date,name[,multiplier]: special days in history and horizon')
    .option('--models <aliases>', 'comma-separated model aliases (default: all)')
    .option(
      '--selection-origins <n>',
      'internal backtest origins used to pick the ensemble and calibrate intervals',
      positiveInt('--selection-origins'),
      4,
    );
}

export function registerForecastCommands(program: Command): void {
  const forecast = program
    .command('forecast')
    .description('Forecast one series from a CSV file (see also subcommands)');
  withCommonOptions(forecast)
    .requiredOption('--output <file>', 'CSV to write: ts,forecast,lo80,hi80,lo95,hi95,model')
    .action(async (options: CommonOptions & { output: string }) => {
      const [{ fitAndForecast }, { formatForecastCsv }] = await Promise.all([
        import('../../forecasts/pipeline.js'),
        import('../../forecasts/io/forecast-csv.js'),
      ]);
      const { series, forecast: fo, future } = await load(options, options.horizon);
      const progress = await progressReporter('forecast');
      const result = fitAndForecast(series.y, { ...fo, onProgress: progress.update });
      progress.stop();
      writeFileSync(options.output, formatForecastCsv(future.timestamps, result));
      process.stderr.write(
        `${JSON.stringify(snakeKeys({ output: options.output, rows: options.horizon, model: result.model, members: result.members, selectionWape: result.selectionWape, trimmedRows: series.trimmed, filledRows: series.filled }, { dataKeys: ['selection_wape'] }))}\n`,
      );
    });
  // Options after `run` belong to run (its --horizon is a duration, not the offline interval
  // count): commander then hands everything after `forecast` to it, and after `run` to run.
  // The root program has no options of its own, so this changes nothing else.
  program.enablePositionalOptions();
  forecast.enablePositionalOptions();
  // commander checks ancestors' required options too: the offline ones do not apply to `run`.
  forecast.hook('preSubcommand', () => {
    for (const option of forecast.options) option.mandatory = false;
  });
  registerForecastRun(forecast);

  withCommonOptions(
    program.command('backtest').description('Rolling-origin backtest of every model and the ensemble; prints JSON'),
  )
    .option(
      '--origins <n>',
      'number of forecast origins (back-to-back windows at the end of the series)',
      positiveInt('--origins'),
      4,
    )
    .action(async (options: CommonOptions & { origins: number }) => {
      const { rollingBacktest } = await import('../../forecasts/backtest/rolling.js');
      const { series, forecast: fo } = await load(options, options.horizon);
      const progress = await progressReporter('backtest');
      const report = rollingBacktest(series.y, { ...fo, origins: options.origins }, (done, total) =>
        progress.update('origin', done, total),
      );
      progress.stop();
      process.stdout.write(
        `${JSON.stringify(snakeKeys({ input: options.input, ...report }, { dataKeys: ['models'] }), null, 2)}\n`,
      );
    });
}
