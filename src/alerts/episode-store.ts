// Episodes in ClickHouse (alert_episodes): one row when opened, the same id again (version 2)
// when resolved; reads use FINAL so each episode is its latest row.
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '../metrics/settings.js';
import type { Episode } from './episodes.js';
import type { RuleName } from './rules.js';

interface Row {
  id: string;
  queue: string;
  rule: string;
  subject: string;
  opened_at: string;
  resolved_at: string | null;
  message: string;
  opened_value: string;
  last_value: string;
}

const iso = (t: string) => `${t.replace(' ', 'T')}Z`;

function fromRow(r: Row): Episode {
  return {
    id: r.id,
    queue: r.queue,
    rule: r.rule as RuleName,
    subject: r.subject,
    opened_at: iso(r.opened_at),
    resolved_at: r.resolved_at === null ? null : iso(r.resolved_at),
    message: r.message,
    opened_value: JSON.parse(r.opened_value) as Record<string, unknown>,
    last_value: JSON.parse(r.last_value) as Record<string, unknown>,
  };
}

export async function saveEpisodes(client: ClickHouseClient, episodes: Episode[]): Promise<void> {
  if (episodes.length === 0) return;
  await client.insert({
    table: 'alert_episodes',
    values: episodes.map((e) => ({
      id: e.id,
      queue: e.queue,
      rule: e.rule,
      subject: e.subject,
      opened_at: chTime(Date.parse(e.opened_at)),
      resolved_at: e.resolved_at === null ? null : chTime(Date.parse(e.resolved_at)),
      message: e.message,
      opened_value: JSON.stringify(e.opened_value),
      last_value: JSON.stringify(e.last_value),
      version: e.resolved_at === null ? 1 : 2,
    })),
    format: 'JSONEachRow',
  });
}

export interface EpisodeQuery {
  state: 'open' | 'all';
  /** Episodes open at or after this instant (epoch ms). */
  since?: number;
  queue?: string;
  rule?: string;
  limit: number;
}

export async function findEpisodes(client: ClickHouseClient, q: EpisodeQuery): Promise<Episode[]> {
  const rows = await (
    await client.query({
      query: `SELECT id, queue, rule, subject, opened_at, resolved_at, message, opened_value, last_value
        FROM alert_episodes FINAL
        WHERE ({open_only:Bool} = false OR resolved_at IS NULL)
          AND ({since:Nullable(DateTime64(3))} IS NULL OR resolved_at IS NULL OR resolved_at >= {since:Nullable(DateTime64(3))})
          AND ({queue:String} = '' OR queue = {queue:String})
          AND ({rule:String} = '' OR rule = {rule:String})
        ORDER BY opened_at DESC, id
        LIMIT {limit:UInt32}`,
      query_params: {
        open_only: q.state === 'open',
        since: q.since === undefined ? null : chTime(q.since),
        queue: q.queue ?? '',
        rule: q.rule ?? '',
        limit: q.limit,
      },
      format: 'JSONEachRow',
    })
  ).json<Row>();
  return rows.map(fromRow);
}
