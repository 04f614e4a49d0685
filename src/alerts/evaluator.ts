// The alert evaluator: every period, every rule of every queue as of `now`; episodes open and
// resolve with hysteresis, are stored, pushed to subscribers (the wallboard's SSE) and to
// webhooks. `evaluate(now)` is deterministic in `now`, so it can be replayed over history.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { listQueues } from '../metrics/realtime.js';
import { currentVersion, loadVersions } from '../metrics/settings.js';
import { withTimeout } from '../store/index.js';
import { agentSilenceMs } from '../agents/config.js';
import { conditionsFor } from './conditions.js';
import { findEpisodes, saveEpisodes } from './episode-store.js';
import { EpisodeTracker, type Condition, type Episode, type Step } from './episodes.js';
import { planConditions } from './plan-conditions.js';
import { planData } from './plan-data.js';
import type { AlertMetrics } from './prometheus.js';
import { sumWindow, waitingNow, windowCounts } from './queries.js';
import { DEFAULT_RULES, loadRules, type RuleSet } from './rules.js';
import { ReasonMixCache, surgeResults } from './surge-data.js';
import type { WebhookSender } from './webhooks.js';

export interface AlertChange {
  change: 'opened' | 'resolved';
  episode: Episode;
}

export interface EvaluatorOptions {
  client: ClickHouseClient;
  logger?: Logger;
  /** Evaluation period. Default 60 s. */
  periodMs?: number;
  /** Deadline of one evaluation's store work. Default 30 s. */
  timeoutMs?: number;
  metrics?: AlertMetrics;
  webhooks?: WebhookSender;
  /** An agent silent longer than this counts as "unknown" in adherence. Default: CALLCAST_AGENT_SILENCE_S (15 min). */
  agentSilenceMs?: number;
  /** Only these queues (default: every known queue). */
  queues?: string[];
  now?: () => number;
}

export interface Evaluation extends Step {
  at: string;
  conditions: Condition[];
}

export class AlertEvaluator {
  private readonly tracker = new EpisodeTracker();
  private readonly mixCache = new ReasonMixCache();
  private readonly listeners = new Set<(change: AlertChange) => void>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: EvaluatorOptions) {}

  get periodMs(): number {
    return this.o.periodMs ?? 60_000;
  }

  /** Episodes open now, oldest first. */
  active(): Episode[] {
    return this.tracker.active();
  }

  subscribe(listener: (change: AlertChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Picks up the episodes left open by a previous run. */
  async restore(): Promise<void> {
    this.tracker.restore(await findEpisodes(this.o.client, { state: 'open', limit: 10_000 }));
    this.refreshGauge();
  }

  /** Evaluates every rule as of `now`; one evaluation at a time. */
  evaluate(now: number): Promise<Evaluation> {
    const run = this.running.then(() => this.evaluateNow(now));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async evaluateNow(now: number): Promise<Evaluation> {
    const started = performance.now();
    const { client } = this.o;
    try {
      const conditions = await withTimeout(this.conditionsAt(now), this.o.timeoutMs ?? 30_000, 'the store');
      const step = this.tracker.step(now, conditions, DEFAULT_RULES.clear_after);
      await saveEpisodes(client, [...step.opened, ...step.resolved]);
      this.publish(step);
      this.o.metrics?.evaluations.inc({ result: 'ok' });
      return { at: new Date(now).toISOString(), conditions, ...step };
    } catch (error) {
      this.o.metrics?.evaluations.inc({ result: 'error' });
      throw error;
    } finally {
      this.o.metrics?.evaluationSeconds.observe((performance.now() - started) / 1000);
    }
  }

  private async conditionsAt(now: number): Promise<Condition[]> {
    const { client } = this.o;
    const queues = this.o.queues ?? (await listQueues(client));
    if (queues.length === 0) return [];
    const [versions, stored] = await Promise.all([loadVersions(client, queues), loadRules(client, queues)]);
    const rules = new Map<string, RuleSet>(queues.map((q) => [q, stored.get(q)!.rules]));
    const longest = Math.max(
      ...[...rules.values()].flatMap((r) => [r.service_level.window_min, r.abandon_rate.window_min]),
    );
    const zones = new Map(queues.map((q) => [q, currentVersion(versions.get(q)!, now).settings.time_zone]));
    const [minutes, waiting, surges, plan] = await Promise.all([
      windowCounts(client, queues, versions, now, longest),
      waitingNow(client, queues, now),
      surgeResults(client, rules, now, this.mixCache),
      planData(client, queues, rules, zones, now, this.o.agentSilenceMs ?? agentSilenceMs()),
    ]);
    return queues.flatMap((queue) => {
      const r = rules.get(queue)!;
      const list = minutes.get(queue) ?? [];
      const w = waiting.get(queue)!;
      const own = conditionsFor({
        queue,
        settings: currentVersion(versions.get(queue)!, now).settings,
        rules: r,
        slWindow: sumWindow(list, now, r.service_level.window_min),
        abandonWindow: sumWindow(list, now, r.abandon_rate.window_min),
        waiting: w.waiting,
        longestWaitS: w.longest_wait_s,
        surges: surges.get(queue) ?? [],
      });
      return [...own, ...planConditions({ queue, rules: r, ...plan.get(queue)! })];
    });
  }

  private publish(step: Step): void {
    const changes: AlertChange[] = [
      ...step.opened.map((episode) => ({ change: 'opened' as const, episode })),
      ...step.resolved.map((episode) => ({ change: 'resolved' as const, episode })),
    ];
    for (const c of changes) {
      this.o.logger?.info(
        { alert: c.episode.id, queue: c.episode.queue, rule: c.episode.rule, subject: c.episode.subject },
        `alert ${c.change}: ${c.episode.message}`,
      );
      if (c.change === 'opened') this.o.metrics?.opened.inc({ queue: c.episode.queue, rule: c.episode.rule });
      else this.o.metrics?.resolved.inc({ queue: c.episode.queue, rule: c.episode.rule });
      this.o.webhooks?.send({ type: `alert.${c.change}`, sent_at: new Date().toISOString(), alert: c.episode });
      for (const listener of this.listeners) listener(c);
    }
    if (changes.length > 0) this.refreshGauge();
  }

  private refreshGauge(): void {
    const gauge = this.o.metrics?.active;
    if (!gauge) return;
    gauge.reset();
    for (const e of this.tracker.active()) gauge.inc({ queue: e.queue, rule: e.rule });
  }

  /**
   * Restores open episodes, then evaluates every period (a failed evaluation is logged and retried
   * next period). Evaluations run as of instants on the period's grid (multiples of the period
   * since the epoch), so processes that evaluate the same store agree on when an episode opened,
   * and so on its id.
   */
  async start(): Promise<void> {
    try {
      await this.restore();
    } catch (error) {
      this.o.logger?.warn({ err: error }, 'could not restore open alerts; starting with none');
    }
    const clock = () => this.o.now?.() ?? Date.now();
    const tick = async () => {
      if (this.stopped) return;
      const now = clock();
      try {
        await this.evaluate(now - (now % this.periodMs));
      } catch (error) {
        this.o.logger?.warn({ err: error }, 'alert evaluation failed');
      }
      if (!this.stopped) this.timer = setTimeout(tick, this.periodMs - (clock() % this.periodMs));
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.o.webhooks?.stop();
  }
}
