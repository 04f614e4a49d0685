// A lease in the store (job_leases, sql/110) so that a job runs in one process of a cluster at a
// time, whichever processes run it: the alert evaluator, the nightly forecast, the weekly report.
//
// ClickHouse has no compare-and-set, so a lease is a sequence of terms decided by reading back:
// every claim and renewal is an inserted row; the holder of a term is the holder of its earliest
// claim (by the store's own clock, now64(), so instances' clocks do not matter), and the term lasts
// until that holder's latest expires_at. A process that finds the current term expired (or none)
// claims the next term and then reads it back: of two processes claiming at once, both read the
// same earliest claim, so exactly one holds the term. The holder renews well before expiry
// (every ttl / 3); a holder that stops renewing (crash, lost store) is taken over once its term
// has expired. Jobs whose work must not be doubled across a take-over also need idempotent
// output (alert episodes have deterministic ids, src/alerts/episodes.ts).
import type { ClickHouseClient } from '@clickhouse/client';

export interface LeaseState {
  term: number;
  holder: string;
  expiresAt: number;
  live: boolean;
}

export interface LeaseOptions {
  /** The job the lease is for, e.g. 'jobs'. */
  job: string;
  /** This process: unique across the cluster (host, pid and a random part). */
  holder: string;
  /** How long a claim or renewal holds without another renewal. */
  ttlMs: number;
}

// Inserts reach the shard (and its replicas' log) before they are acknowledged on a cluster.
const SYNC_INSERT = { insert_distributed_sync: 1 } as const;

export class JobLease {
  constructor(
    private readonly client: ClickHouseClient,
    readonly o: LeaseOptions,
  ) {}

  /** The current term of the job, or undefined if it was never claimed. */
  async state(): Promise<LeaseState | undefined> {
    const rows = await (
      await this.client.query({
        query: `SELECT term, owner, toUnixTimestamp64Milli(owner_expires) AS expires_ms, owner_expires > now64(3, 'UTC') AS live
          FROM (
            SELECT term, argMin(holder, (claimed_at, holder)) AS owner,
                   arrayMax(arrayMap(c -> c.2, arrayFilter(c -> c.1 = owner, groupArray((holder, expires_at))))) AS owner_expires
            FROM job_leases
            WHERE job = {job:String} AND term = (SELECT max(term) FROM job_leases WHERE job = {job:String})
            GROUP BY term
          )`,
        query_params: { job: this.o.job },
        format: 'JSONEachRow',
      })
    ).json<{ term: string | number; owner: string; expires_ms: string | number; live: number | boolean }>();
    const r = rows[0];
    if (!r) return undefined;
    return { term: Number(r.term), holder: r.owner, expiresAt: Number(r.expires_ms), live: Boolean(Number(r.live)) };
  }

  private async insert(term: number, holder: string, ttlMs: number): Promise<void> {
    await this.client.command({
      query: `INSERT INTO job_leases (job, term, holder, claimed_at, expires_at)
        SELECT {job:String}, {term:UInt64}, {holder:String}, now64(3, 'UTC'), now64(3, 'UTC') + toIntervalMillisecond({ttl:Int64})`,
      query_params: { job: this.o.job, term, holder, ttl: ttlMs },
      clickhouse_settings: SYNC_INSERT,
    });
  }

  private async holderOf(term: number): Promise<string | undefined> {
    const rows = await (
      await this.client.query({
        query: `SELECT argMin(holder, (claimed_at, holder)) AS owner
          FROM job_leases WHERE job = {job:String} AND term = {term:UInt64} HAVING count() > 0`,
        query_params: { job: this.o.job, term },
        format: 'JSONEachRow',
      })
    ).json<{ owner: string }>();
    return rows[0]?.owner;
  }

  /**
   * Renews the lease if this process holds a live term; otherwise claims the next term if the
   * current one has expired. True when this process holds the lease afterwards.
   */
  async tryAcquire(): Promise<boolean> {
    const current = await this.state();
    if (current?.live) {
      if (current.holder !== this.o.holder) return false;
      await this.insert(current.term, this.o.holder, this.o.ttlMs);
      return true;
    }
    const term = (current?.term ?? 0) + 1;
    await this.insert(term, this.o.holder, this.o.ttlMs);
    return (await this.holderOf(term)) === this.o.holder;
  }

  /** Gives the lease up at once (a graceful stop): the next term starts already expired, held by nobody. */
  async release(): Promise<void> {
    const current = await this.state();
    if (!current?.live || current.holder !== this.o.holder) return;
    await this.insert(current.term + 1, '', 0);
  }
}

export interface LeaderOptions {
  /** How often the lease is renewed (or, when another process holds it, checked). Default ttl / 3. */
  checkMs?: number;
  /** Called when this process takes the lease: start the jobs. */
  onAcquire: () => Promise<void> | void;
  /** Called when it loses the lease or stops: stop the jobs (awaited before the lease is released). */
  onLose: () => Promise<void> | void;
  logger?: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

/** Keeps trying for the lease; runs onAcquire / onLose as this process gains and loses it. */
export class Leader {
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private stopped = false;
  /** Local bound on the held term: renewals that fail (store down) count against it. */
  private heldUntil = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(
    readonly lease: JobLease,
    private readonly o: LeaderOptions,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  private get checkMs(): number {
    return this.o.checkMs ?? Math.max(1, Math.floor(this.lease.o.ttlMs / 3));
  }

  /** One check now: renew, claim or stay out; then start or stop the jobs to match. */
  check(): Promise<void> {
    const run = this.running.then(() => this.checkNow());
    this.running = run.catch(() => undefined);
    return run;
  }

  private async checkNow(): Promise<void> {
    if (this.stopped) return;
    const started = Date.now();
    let held: boolean;
    try {
      held = await this.lease.tryAcquire();
      if (held) this.heldUntil = started + this.lease.o.ttlMs;
    } catch (error) {
      // Cannot reach the store: keep the jobs only while the last renewal surely still holds.
      held = this.leading && Date.now() < this.heldUntil;
      this.o.logger?.warn({ err: error, job: this.lease.o.job, leading: held }, 'lease check failed');
    }
    if (held && !this.leading && !this.stopped) {
      this.leading = true;
      this.o.logger?.info({ job: this.lease.o.job, holder: this.lease.o.holder }, 'lease taken: running the jobs here');
      await this.o.onAcquire();
    } else if (!held && this.leading) {
      this.leading = false;
      this.o.logger?.info({ job: this.lease.o.job, holder: this.lease.o.holder }, 'lease lost: jobs stopped here');
      await this.o.onLose();
    }
  }

  start(): void {
    const tick = async () => {
      try {
        await this.check();
      } catch (error) {
        this.o.logger?.warn({ err: error, job: this.lease.o.job }, 'starting or stopping the jobs failed');
      }
      if (!this.stopped) {
        this.timer = setTimeout(() => void tick(), this.checkMs);
        this.timer.unref();
      }
    };
    void tick();
  }

  /** Stops checking; if leading, stops the jobs and releases the lease so another process takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (!this.leading) return;
    this.leading = false;
    await this.o.onLose();
    try {
      await this.lease.release();
    } catch (error) {
      this.o.logger?.warn({ err: error, job: this.lease.o.job }, 'could not release the lease; it expires by itself');
    }
  }
}
