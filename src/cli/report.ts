// `callcast report voc`: the weekly voice-of-customer report from the configured store, built
// afresh (and stored when the week is over), written as JSON, HTML or Markdown.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config/index.js';
import { parseIsoWeek, type IsoWeek } from '../reports/week.js';

export function parseWeekOption(value: string): IsoWeek {
  const week = parseIsoWeek(value);
  if (!week) throw new InvalidArgumentError(`expected an ISO week like 2026-W47, got "${value}"`);
  return week;
}

function parseAsOf(value: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(`expected an ISO time, got "${value}"`);
  return ms;
}

interface VocOptions {
  week: IsoWeek;
  queue?: string;
  format: 'json' | 'html' | 'md';
  out?: string;
  asOf?: number;
  lang: 'en' | 'zh';
}

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('Reports produced from the store');
  report
    .command('voc')
    .description(
      'Weekly voice-of-customer report: NPS/CSAT/FCR with confidence, contact reasons and surges, what customers said, service-level misses',
    )
    .requiredOption('--week <iso-week>', 'ISO week, e.g. 2026-W47', parseWeekOption)
    .option('--queue <name>', 'one queue (weeks cut in its time zone); default all queues (UTC)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'html', 'md']).default('json'))
    .addOption(new Option('--lang <lang>', 'language of the HTML page').choices(['en', 'zh']).default('en'))
    .option('--out <file>', 'write to this file instead of standard output')
    .option(
      '--as-of <iso>',
      "the report's now (default: now); the report is stored only when its week is over by then",
      parseAsOf,
    )
    .action(async (o: VocOptions) => {
      const config = loadConfig();
      const [{ migrateStore, openStore }, { produceReport }, { renderHtml }, { renderMarkdown }] = await Promise.all([
        import('../store/index.js'),
        import('../reports/produce.js'),
        import('../reports/html.js'),
        import('../reports/markdown.js'),
      ]);
      const store = await openStore(config.store);
      try {
        await migrateStore(store);
        const { report, source } = await produceReport(store.client, {
          week: o.week,
          queue: o.queue,
          now: o.asOf ?? Date.now(),
          refresh: true,
          trigger: 'cli',
        });
        const text =
          o.format === 'html'
            ? renderHtml(report, o.lang)
            : o.format === 'md'
              ? renderMarkdown(report)
              : `${JSON.stringify(report, null, 2)}\n`;
        if (o.out) {
          await writeFile(o.out, text);
          process.stderr.write(
            `callcast: VOC report ${report.week} (${report.queue ?? 'all queues'}) written to ${o.out}${source === 'built-and-stored' ? ', stored' : ', not stored (week not over)'}\n`,
          );
        } else process.stdout.write(text);
      } finally {
        await store.close();
      }
    });
}
