// Counts for the surge test of every (queue, reason) at one instant, and the verdicts.
import type { ClickHouseClient } from '@clickhouse/client';
import { reasonMix, reasonWindowCounts } from './queries.js';
import type { RuleSet } from './rules.js';
import { judgeSurge, testsPerDay, type SurgeVerdict } from './surge.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface SurgeResult {
  reason: string;
  verdict: SurgeVerdict;
  pThreshold: number;
}

/** The reason mix changes slowly: it is read once per UTC day (and per baseline length). */
export class ReasonMixCache {
  private key = '';
  private value: Promise<Map<string, Map<string, number>>> | undefined;

  get(
    client: ClickHouseClient,
    queues: string[],
    now: number,
    weeks: number,
  ): Promise<Map<string, Map<string, number>>> {
    const day = Math.floor(now / DAY_MS) * DAY_MS;
    const key = `${day}|${weeks}|${[...queues].sort().join('\u0000')}`;
    if (key !== this.key || !this.value) {
      this.key = key;
      this.value = reasonMix(client, queues, day - weeks * WEEK_MS, day);
      this.value.catch(() => (this.key = ''));
    }
    return this.value;
  }
}

export async function surgeResults(
  client: ClickHouseClient,
  rules: Map<string, RuleSet>,
  now: number,
  mixCache: ReasonMixCache,
): Promise<Map<string, SurgeResult[]>> {
  const queues = [...rules].filter(([, r]) => r.surge.enabled).map(([q]) => q);
  const out = new Map<string, SurgeResult[]>();
  if (queues.length === 0) return out;
  const all = queues.map((q) => rules.get(q)!.surge);
  const weeks = Math.max(...all.map((s) => s.baseline_weeks));
  // Every window length any queue uses (plus level windows), each counted once in SQL.
  const lengths = [...new Set(all.flatMap((s) => [...s.windows_min, s.level_window_min]))].sort((a, b) => a - b);
  const [counts, mix] = await Promise.all([
    reasonWindowCounts(
      client,
      queues,
      now,
      weeks,
      lengths.map((m) => m * 60_000),
    ),
    mixCache.get(client, queues, now, weeks),
  ]);

  // First the counts of every pair, then the verdicts: the Bonferroni level needs the number of pairs.
  const pending: Array<{ queue: string; reason: string; judge: (pThreshold: number) => SurgeVerdict }> = [];
  for (const queue of queues) {
    const s = rules.get(queue)!.surge;
    const byReason = counts.get(queue) ?? new Map<string, number[][]>();
    const queueMix = mix.get(queue) ?? new Map<string, number>();
    const mixTotal = [...queueMix.values()].reduce((a, b) => a + b, 0);
    const reasons = new Set([...queueMix.keys(), ...byReason.keys()]);
    const idx = (m: number) => lengths.indexOf(m);
    // Totals over all reasons per week and window, to get "the other reasons" by subtraction.
    const total = Array.from({ length: weeks + 1 }, (_, k) =>
      lengths.map((_, i) => [...byReason.values()].reduce((sum, w) => sum + (w[k]?.[i] ?? 0), 0)),
    );
    for (const reason of reasons) {
      const own = byReason.get(reason);
      const at = (k: number, i: number) => own?.[k]?.[i] ?? 0;
      const other = (k: number, i: number) => total[k]![i]! - at(k, i);
      const sumBase = (i: number) => {
        let n = 0;
        for (let k = 1; k <= s.baseline_weeks; k++) n += other(k, i);
        return n;
      };
      const level = idx(s.level_window_min);
      const c = {
        observed: s.windows_min.map((w) => at(0, idx(w))),
        otherBase: s.windows_min.map((w) => sumBase(idx(w))),
        levelToday: other(0, level),
        levelBase: sumBase(level),
        mixReason: queueMix.get(reason) ?? 0,
        mixOther: mixTotal - (queueMix.get(reason) ?? 0),
      };
      pending.push({ queue, reason, judge: (p) => judgeSurge(c, s, p) });
    }
  }
  const pairs = Math.max(1, pending.length);
  for (const p of pending) {
    const s = rules.get(p.queue)!.surge;
    const pThreshold = s.false_alarms_per_day / (pairs * testsPerDay(s.windows_min));
    const list = out.get(p.queue) ?? [];
    list.push({ reason: p.reason, verdict: p.judge(pThreshold), pThreshold });
    out.set(p.queue, list);
  }
  return out;
}
