// The roll of contact_reason_rollup (sql/180): the contact rollup's rows split by contact reason,
// for the dashboards' "by contact reason" table. It follows contact_rollup: every half-hour whose
// newest contact_rollup marker is newer than its own newest marker (or that has none) is rolled
// again, with the rollup's own per-contact SQL (src/metrics/contacts-sql.ts CONTACT_ROLLUP_SQL)
// grouped by reason too. So a half-hour is rolled here only once it is settled and rolled there,
// and rolled again whenever a touch or a settings change re-rolls it there; readers
// (dashboards/lib/rollup-sql.ts) use a half-hour only while its marker here is at least as new as there.
import type { ClickHouseClient } from '@clickhouse/client';
import { CONTACT_ROLLUP_SQL } from './contacts-sql.js';
import { rollStatementParams, runsOf } from './rollup.js';
import { loadVersions } from './settings.js';
import { queryRows } from '../store/rows.js';

/** Replaces `from` by `to` in `sql`, once; throws when `from` is not there exactly once (the source SQL moved). */
function replaceOnce(sql: string, from: string, to: string): string {
  const at = sql.indexOf(from);
  if (at < 0 || sql.indexOf(from, at + 1) >= 0)
    throw new Error(`reason rollup: '${from}' not found once in the rollup SQL`);
  return sql.slice(0, at) + to + sql.slice(at + from.length);
}

/** CONTACT_ROLLUP_SQL with `reason` after `version` (the column order of contact_reason_rollup). */
export const REASON_ROLLUP_SQL = [
  ['ver AS version,', 'ver AS version, reason,'],
  ['GROUP BY bucket, queue, channel, version\n', 'GROUP BY bucket, queue, channel, version, reason\n'],
  ['toUInt32(0) AS version,', "toUInt32(0) AS version, '' AS reason,"],
].reduce((sql, [from, to]) => replaceOnce(sql, from!, to!), CONTACT_ROLLUP_SQL);

// Half-hours whose newest contact_rollup marker is newer than the newest one here (or with none
// here): the LEFT JOIN's missing `rn` is the epoch.
const BEHIND_SQL = `
SELECT c.bucket AS bucket FROM (
  SELECT bucket, argMax(rolled_now, gen) AS rn FROM contact_rollup WHERE is_roll = 1 GROUP BY bucket
) AS c
LEFT JOIN (
  SELECT bucket, argMax(rolled_now, gen) AS rn FROM contact_reason_rollup WHERE is_roll = 1 GROUP BY bucket
) AS r ON r.bucket = c.bucket
WHERE isNull(r.rn) OR r.rn < c.rn
ORDER BY bucket`;

export interface ReasonRollResult {
  buckets: number;
  statements: number;
  seconds: number;
}

let generation = 0;

/**
 * Rolls every half-hour behind contact_rollup (above), newest first, at most a day per statement.
 * `now` (default the clock) splits repeat-contact FCR as in the contact rollup.
 */
export async function rollReasons(client: ClickHouseClient, opts: { now?: number } = {}): Promise<ReasonRollResult> {
  const started = performance.now();
  const now = opts.now ?? Date.now();
  const behind = await queryRows<{ bucket: string }>(client, BEHIND_SQL);
  const runs = runsOf(behind.map((b) => Number(b.bucket))).reverse();
  const paramsOf = rollStatementParams(await loadVersions(client), now);
  // Generations only grow, whatever `now` is: the clock at the start, then one step per statement.
  generation = Math.max(generation + 1, Date.now() * 1000);
  for (const run of runs) {
    await client.command({
      query: `INSERT INTO contact_reason_rollup ${REASON_ROLLUP_SQL}`,
      query_params: paramsOf(run.from, run.to, generation++),
    });
  }
  return { buckets: behind.length, statements: runs.length, seconds: (performance.now() - started) / 1000 };
}
