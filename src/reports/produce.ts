// One entry point for the API, the CLI and the weekly schedule: the stored report of a week
// when there is one (unless refresh), otherwise built now — and stored when the week is over
// (a week still running is never frozen into storage).
import type { ClickHouseClient } from '@clickhouse/client';
import { buildVocReport } from './build.js';
import { loadReport, saveReport, type Trigger } from './store.js';
import { formatIsoWeek, type IsoWeek } from './week.js';
import type { VocReport } from './types.js';

export interface ProduceOptions {
  week: IsoWeek;
  queue?: string;
  now: number;
  /** Build afresh even when a stored report exists. */
  refresh?: boolean;
  trigger: Trigger;
  /** Store a finished week's report (default true); false builds it without storing. */
  save?: boolean;
}

export interface Produced {
  report: VocReport;
  /** 'stored': read back; 'built-and-stored': built and saved; 'built': built, week not over, not saved. */
  source: 'stored' | 'built-and-stored' | 'built';
}

export async function produceReport(client: ClickHouseClient, o: ProduceOptions): Promise<Produced> {
  if (!o.refresh) {
    const stored = await loadReport(client, formatIsoWeek(o.week), o.queue);
    if (stored) return { report: stored, source: 'stored' };
  }
  const report = await buildVocReport(client, { week: o.week, queue: o.queue, now: o.now });
  if (Date.parse(report.to) > o.now || o.save === false) return { report, source: 'built' };
  await saveReport(client, report, o.trigger);
  return { report, source: 'built-and-stored' };
}
