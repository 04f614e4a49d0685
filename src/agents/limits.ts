// Per-queue attention limits (sql/080_agent_limits.sql): how long an agent may stay in wrap-up
// or on a break before the live agents view puts them first.
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '../store/time.js';

export interface AgentLimits {
  wrap_up_limit_s: number;
  break_limit_s: number;
}

export const DEFAULT_LIMITS: AgentLimits = { wrap_up_limit_s: 120, break_limit_s: 900 };

export interface QueueLimits extends AgentLimits {
  queue: string;
  /** True when the queue has no limits of its own (the defaults apply). */
  default: boolean;
  changed_at: string | null;
  changed_by: string | null;
}

const iso = (ch: string) => `${ch.replace(' ', 'T')}Z`;

/** The limits of every queue that has its own (queues not listed use DEFAULT_LIMITS). */
export async function loadLimits(client: ClickHouseClient): Promise<Map<string, QueueLimits>> {
  const rows = await (
    await client.query({
      query: `SELECT queue, wrap_up_limit_s, break_limit_s, toString(changed_at) AS changed_at, changed_by
              FROM agent_queue_limits FINAL ORDER BY queue`,
      format: 'JSONEachRow',
    })
  ).json<{ queue: string; wrap_up_limit_s: number; break_limit_s: number; changed_at: string; changed_by: string }>();
  return new Map(
    rows.map((r) => [
      r.queue,
      {
        queue: r.queue,
        wrap_up_limit_s: Number(r.wrap_up_limit_s),
        break_limit_s: Number(r.break_limit_s),
        default: false,
        changed_at: iso(r.changed_at),
        changed_by: r.changed_by,
      },
    ]),
  );
}

export function limitsOf(queue: string, all: Map<string, QueueLimits>): QueueLimits {
  return all.get(queue) ?? { queue, ...DEFAULT_LIMITS, default: true, changed_at: null, changed_by: null };
}

/**
 * The limits that apply to an agent serving `queues`: the strictest (smallest) of its queues'
 * limits, each queue without its own using the defaults; the defaults when it names no queue.
 */
export function agentLimits(queues: readonly string[], all: Map<string, QueueLimits>): AgentLimits {
  if (queues.length === 0) return { ...DEFAULT_LIMITS };
  const own = queues.map((q) => limitsOf(q, all));
  return {
    wrap_up_limit_s: Math.min(...own.map((l) => l.wrap_up_limit_s)),
    break_limit_s: Math.min(...own.map((l) => l.break_limit_s)),
  };
}

export async function saveLimits(
  client: ClickHouseClient,
  queue: string,
  limits: AgentLimits,
  who: string,
  now: number,
): Promise<QueueLimits> {
  const row = { queue, ...limits, changed_at: chTime(now), changed_by: who };
  await client.insert({ table: 'agent_queue_limits', values: [row], format: 'JSONEachRow' });
  return { queue, ...limits, default: false, changed_at: new Date(now).toISOString(), changed_by: who };
}
