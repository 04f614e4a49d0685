// Episodes with hysteresis: a rule that starts firing opens one episode; it resolves only after
// its clear condition (stricter than "not firing": a margin back past the threshold) has held
// for `clear_after` evaluations in a row. Between the two thresholds nothing changes.
import { createHash } from 'node:crypto';
import type { RuleName } from './rules.js';

/** One rule's verdict for one queue (and reason, for surges) at one evaluation. */
export interface Condition {
  queue: string;
  rule: RuleName;
  /** The contact reason for surges; '' otherwise. */
  subject: string;
  /** firing: open an episode; clear: counts toward resolving; hold: inside the margin, no change. */
  state: 'firing' | 'clear' | 'hold';
  message: string;
  value: Record<string, unknown>;
  clearAfter: number;
  /** Opens only after firing this many evaluations in a row (default 1). */
  openAfter?: number;
}

export interface Episode {
  id: string;
  queue: string;
  rule: RuleName;
  subject: string;
  opened_at: string;
  resolved_at: string | null;
  message: string;
  opened_value: Record<string, unknown>;
  last_value: Record<string, unknown>;
}

export interface Step {
  opened: Episode[];
  resolved: Episode[];
}

/**
 * The episode's id: a name-based UUID (version 5 layout, SHA-1) of queue, rule, subject and the
 * instant it opened. Two processes that evaluate the same store at the same instant (evaluations
 * run on the period's grid, src/alerts/evaluator.ts) open the same episode under the same id, so
 * its rows collapse into one (alert_episodes is a ReplacingMergeTree by id) instead of two.
 */
export function episodeId(queue: string, rule: string, subject: string, openedAt: string): string {
  const h = createHash('sha1')
    .update(['callcast-alert-episode', queue, rule, subject, openedAt].join('\u0000'))
    .digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const keyOf = (c: { queue: string; rule: string; subject: string }) => `${c.queue}\u0000${c.rule}\u0000${c.subject}`;

export class EpisodeTracker {
  private readonly open = new Map<string, { episode: Episode; clearStreak: number }>();
  /** Firing evaluations in a row of rules not open yet that need several (openAfter). */
  private readonly firing = new Map<string, number>();

  /** Episodes still open from before a restart. */
  restore(episodes: Episode[]): void {
    for (const e of episodes) if (e.resolved_at === null) this.open.set(keyOf(e), { episode: e, clearStreak: 0 });
  }

  active(): Episode[] {
    return [...this.open.values()]
      .map((o) => o.episode)
      .sort((a, b) => a.opened_at.localeCompare(b.opened_at) || a.queue.localeCompare(b.queue));
  }

  /**
   * Applies one evaluation. A rule of an open episode that reports nothing this time (disabled,
   * queue gone, no data) counts as clear.
   */
  step(now: number, conditions: Condition[], clearAfterDefault: number): Step {
    const at = new Date(now).toISOString();
    const out: Step = { opened: [], resolved: [] };
    const seen = new Set<string>();
    for (const c of conditions) {
      const key = keyOf(c);
      seen.add(key);
      const current = this.open.get(key);
      if (!current) {
        if (c.state !== 'firing') {
          this.firing.delete(key);
          continue;
        }
        const streak = (this.firing.get(key) ?? 0) + 1;
        if (streak < (c.openAfter ?? 1)) {
          this.firing.set(key, streak);
          continue;
        }
        this.firing.delete(key);
        const episode: Episode = {
          id: episodeId(c.queue, c.rule, c.subject, at),
          queue: c.queue,
          rule: c.rule,
          subject: c.subject,
          opened_at: at,
          resolved_at: null,
          message: c.message,
          opened_value: c.value,
          last_value: c.value,
        };
        this.open.set(key, { episode, clearStreak: 0 });
        out.opened.push(episode);
        continue;
      }
      current.episode.last_value = c.value;
      current.clearStreak = c.state === 'clear' ? current.clearStreak + 1 : 0;
      if (current.clearStreak >= c.clearAfter) this.resolve(key, at, out);
    }
    for (const key of this.firing.keys()) if (!seen.has(key)) this.firing.delete(key);
    for (const [key, current] of this.open) {
      if (seen.has(key)) continue;
      current.clearStreak += 1;
      if (current.clearStreak >= clearAfterDefault) this.resolve(key, at, out);
    }
    return out;
  }

  private resolve(key: string, at: string, out: Step): void {
    const current = this.open.get(key)!;
    this.open.delete(key);
    current.episode.resolved_at = at;
    out.resolved.push(current.episode);
  }
}
