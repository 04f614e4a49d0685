// The alerts the API shows, in every process that serves it. The process that holds the jobs
// lease runs the evaluator: its changes pass straight through. Every other process reads the
// open episodes from the store each period and passes on what changed (opened / resolved), so
// all instances behind a load balancer show the same alerts on the wallboard stream.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { findEpisodes } from './episode-store.js';
import type { AlertChange, AlertEvaluator } from './evaluator.js';
import type { Episode } from './episodes.js';
import type { AlertFeed } from './feed.js';

export class SharedAlertFeed implements AlertFeed {
  private readonly listeners = new Set<(change: AlertChange) => void>();
  private evaluator: AlertEvaluator | undefined;
  private unsubscribe: (() => void) | undefined;
  private open = new Map<string, Episode>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly o: { pollMs: number; logger?: Logger; now?: () => number },
  ) {}

  active(): Episode[] {
    if (this.evaluator) return this.evaluator.active();
    return [...this.open.values()].sort(
      (a, b) => a.opened_at.localeCompare(b.opened_at) || a.queue.localeCompare(b.queue),
    );
  }

  subscribe(listener: (change: AlertChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: AlertChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /** This process runs the evaluator (it took the lease): pass its changes on. */
  attach(evaluator: AlertEvaluator): void {
    this.evaluator = evaluator;
    this.unsubscribe = evaluator.subscribe((change) => this.emit(change));
  }

  /** The evaluator stopped here (lease lost or stop): back to reading the store. */
  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.evaluator) this.open = new Map(this.evaluator.active().map((e) => [e.id, e]));
    this.evaluator = undefined;
  }

  /** Reads the open episodes once and passes on the differences (does nothing while the evaluator runs here). */
  poll(): Promise<void> {
    const run = this.polling.then(() => this.pollNow());
    this.polling = run.catch(() => undefined);
    return run;
  }

  private async pollNow(): Promise<void> {
    if (this.evaluator) return;
    const episodes = await findEpisodes(this.client, { state: 'open', limit: 10_000 });
    if (this.evaluator) return;
    const now = new Map(episodes.map((e) => [e.id, e]));
    const gone = [...this.open.values()].filter((e) => !now.has(e.id));
    const opened = episodes.filter((e) => !this.open.has(e.id)).reverse(); // oldest first
    this.open = now;
    for (const episode of opened) this.emit({ change: 'opened', episode });
    if (gone.length === 0) return;
    // Resolved since the last read: their stored rows say when.
    const since = Math.min(...gone.map((e) => Date.parse(e.opened_at)));
    const stored = new Map(
      (await findEpisodes(this.client, { state: 'all', since, limit: 10_000 })).map((e) => [e.id, e]),
    );
    const at = new Date(this.o.now?.() ?? Date.now()).toISOString();
    for (const e of gone) {
      const episode = stored.get(e.id);
      this.emit({ change: 'resolved', episode: episode?.resolved_at ? episode : { ...e, resolved_at: at } });
    }
  }

  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      try {
        await this.poll();
      } catch (error) {
        this.o.logger?.warn({ err: error }, 'reading open alerts from the store failed');
      }
      if (!this.stopped) {
        this.timer = setTimeout(() => void tick(), this.o.pollMs);
        this.timer.unref();
      }
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
  }
}
