// Which queues exist: a queue is known once it has been offered a contact (queues_seen), or an
// admin has configured it (a settings version or an alert-rule override: PUT
// /v1/queues/:id/settings or PUT /v1/alerts/rules/:queue register a queue before its first
// contact). Reads about one queue answer 404 naming any other queue, instead of zeros for a typo.
import type { ClickHouseClient } from '@clickhouse/client';
import { fromStore } from './errors.js';

export class UnknownQueue extends Error {
  readonly statusCode = 404;
  constructor(readonly queue: string) {
    super(
      `unknown queue "${queue}": it has no contacts and no settings (GET /v1/queues lists the known queues; ` +
        'PUT /v1/queues/{id}/settings registers a new one)',
    );
    this.name = 'UnknownQueue';
  }
}

// Queues never disappear (contacts and settings versions are kept), so a queue found once is
// remembered; an unknown one is looked up again each time (it may have appeared since).
const known = new WeakMap<ClickHouseClient, Set<string>>();

export async function isKnownQueue(client: ClickHouseClient, queue: string): Promise<boolean> {
  const seen = known.get(client) ?? new Set<string>();
  known.set(client, seen);
  if (seen.has(queue)) return true;
  const result = await client.query({
    query:
      'SELECT (SELECT count() FROM queues_seen WHERE queue = {q:String}) + ' +
      '(SELECT count() FROM queue_settings WHERE queue = {q:String}) + ' +
      '(SELECT count() FROM alert_rules WHERE queue = {q:String}) AS n',
    query_params: { q: queue },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string | number }>();
  const found = Number(row?.n ?? 0) > 0;
  if (found) seen.add(queue);
  return found;
}

/** Throws UnknownQueue (404) unless `queue` is known; a store that does not answer is a 503 as usual. */
export async function requireKnownQueue(client: ClickHouseClient, queue: string, timeoutMs: number): Promise<void> {
  if (!(await fromStore(() => isKnownQueue(client, queue), timeoutMs))) throw new UnknownQueue(queue);
}
