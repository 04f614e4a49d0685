// Produced reports in voc_reports (sql/040): the JSON body per ISO week × queue filter.
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '../metrics/settings.js';
import type { VocReport } from './types.js';

export type Trigger = 'schedule' | 'api' | 'cli';

export interface StoredReport {
  week: string;
  queue: string | null;
  week_start: string;
  time_zone: string;
  created_at: string;
  trigger: Trigger;
}

const iso = (chTime: string) => `${chTime.replace(' ', 'T')}Z`;

export async function saveReport(client: ClickHouseClient, report: VocReport, trigger: Trigger): Promise<void> {
  await client.insert({
    table: 'voc_reports',
    format: 'JSONEachRow',
    values: [
      {
        week: report.week,
        queue: report.queue ?? '',
        week_start: chTime(Date.parse(report.from)),
        time_zone: report.time_zone,
        // Wall-clock time of production: the newest production of a week wins, whatever its "now".
        created_at: chTime(Date.now()),
        trigger,
        body: JSON.stringify(report),
      },
    ],
  });
}

export async function loadReport(
  client: ClickHouseClient,
  week: string,
  queue: string | undefined,
): Promise<VocReport | null> {
  const rows = await (
    await client.query({
      query:
        'SELECT body FROM voc_reports FINAL WHERE week = {week:String} AND queue = {queue:String} ORDER BY created_at DESC LIMIT 1',
      query_params: { week, queue: queue ?? '' },
      format: 'JSONEachRow',
    })
  ).json<{ body: string }>();
  return rows[0] ? (JSON.parse(rows[0].body) as VocReport) : null;
}

/** Newest weeks first. */
export async function listReports(client: ClickHouseClient, limit: number): Promise<StoredReport[]> {
  const rows = await (
    await client.query({
      query: `SELECT week, queue, week_start, time_zone, created_at, trigger FROM voc_reports FINAL
              ORDER BY week_start DESC, queue LIMIT {limit:UInt32}`,
      query_params: { limit },
      format: 'JSONEachRow',
    })
  ).json<{
    week: string;
    queue: string;
    week_start: string;
    time_zone: string;
    created_at: string;
    trigger: Trigger;
  }>();
  return rows.map((r) => ({
    week: r.week,
    queue: r.queue === '' ? null : r.queue,
    week_start: iso(r.week_start),
    time_zone: r.time_zone,
    created_at: iso(r.created_at),
    trigger: r.trigger,
  }));
}
