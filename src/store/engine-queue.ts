// The embedded engine runs one statement at a time: a read sent while an insert runs waits for
// it inside chDB, in no order we control, and a read whose caller has given up still runs. This
// queue decides instead. Statements run one by one; reads go first, except that while both kinds
// wait, writes are guaranteed `writeShare` of the engine's time (measured over a decaying
// window), so ingest keeps up under any number of readers and readers do not queue behind a
// backlog of inserts. A statement whose caller's signal aborts while it waits is dropped unrun.

export type Lane = 'read' | 'write';

export class EngineQueueAborted extends Error {
  constructor(lane: Lane, waitedMs: number, reason: string) {
    super(
      `the embedded store was busy: ${lane} gave up after waiting ${Math.round(waitedMs)} ms in its queue (${reason})`,
    );
    this.name = 'EngineQueueAborted';
  }
}

interface Job {
  lane: Lane;
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  enqueuedAt: number;
}

export interface LaneStats {
  /** Statements waiting now. */
  waiting: number;
  /** Statements run, and dropped unrun because their caller gave up. */
  ran: number;
  dropped: number;
  /** Total milliseconds spent waiting in the queue and running. */
  waitMs: number;
  runMs: number;
}

export interface EngineQueueOptions {
  /** Share of engine time writes get while reads also wait (0–1). */
  writeShare?: number;
  /** Time constant of the busy-time window, ms. */
  windowMs?: number;
}

export class EngineQueue {
  private readonly waiting: Record<Lane, Job[]> = { read: [], write: [] };
  private readonly totals: Record<Lane, Omit<LaneStats, 'waiting'>> = {
    read: { ran: 0, dropped: 0, waitMs: 0, runMs: 0 },
    write: { ran: 0, dropped: 0, waitMs: 0, runMs: 0 },
  };
  /** Exponentially decayed busy milliseconds per lane. */
  private readonly busy: Record<Lane, number> = { read: 0, write: 0 };
  private decayedAt = performance.now();
  private running = false;
  private closed: string | undefined;
  private readonly writeShare: number;
  private readonly windowMs: number;

  constructor(options: EngineQueueOptions = {}) {
    this.writeShare = options.writeShare ?? 0.5;
    this.windowMs = options.windowMs ?? 5_000;
  }

  /** Runs `run` when the engine is free and this lane's turn comes; rejects unrun if `signal` aborts first. */
  submit<T>(lane: Lane, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed !== undefined) return Promise.reject(new EngineQueueAborted(lane, 0, this.closed));
    if (signal?.aborted) return Promise.reject(new EngineQueueAborted(lane, 0, abortReason(signal)));
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        lane,
        run,
        resolve: resolve as (v: unknown) => void,
        reject,
        signal,
        onAbort: undefined,
        enqueuedAt: performance.now(),
      };
      if (signal) {
        job.onAbort = () => this.drop(job, abortReason(signal));
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.waiting[lane].push(job);
      this.pump();
    });
  }

  stats(): Record<Lane, LaneStats> {
    return {
      read: { waiting: this.waiting.read.length, ...this.totals.read },
      write: { waiting: this.waiting.write.length, ...this.totals.write },
    };
  }

  /** Rejects everything waiting and anything submitted later; the running statement finishes. */
  close(reason = 'the store is closing'): void {
    this.closed = reason;
    for (const lane of ['read', 'write'] as const) for (const job of [...this.waiting[lane]]) this.drop(job, reason);
  }

  private drop(job: Job, reason: string): void {
    const list = this.waiting[job.lane];
    const at = list.indexOf(job);
    if (at < 0) return; // already started
    list.splice(at, 1);
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    const waited = performance.now() - job.enqueuedAt;
    this.totals[job.lane].dropped++;
    this.totals[job.lane].waitMs += waited;
    job.reject(new EngineQueueAborted(job.lane, waited, reason));
  }

  private decay(now: number): void {
    const factor = Math.exp(-(now - this.decayedAt) / this.windowMs);
    this.busy.read *= factor;
    this.busy.write *= factor;
    this.decayedAt = now;
  }

  private next(): Job | undefined {
    const { read, write } = this.waiting;
    if (read.length === 0 || write.length === 0) return read.shift() ?? write.shift();
    this.decay(performance.now());
    const total = this.busy.read + this.busy.write;
    const writeShare = total === 0 ? 0 : this.busy.write / total;
    return writeShare < this.writeShare ? write.shift() : read.shift();
  }

  private pump(): void {
    if (this.running) return;
    const job = this.next();
    if (!job) return;
    this.running = true;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    const started = performance.now();
    this.totals[job.lane].waitMs += started - job.enqueuedAt;
    let work: Promise<unknown>;
    try {
      work = job.run();
    } catch (error) {
      work = Promise.reject(error);
    }
    // Account first, then settle: a caller that looks at stats() after its answer sees its run.
    const settle = (done: () => void) => {
      const ended = performance.now();
      this.decay(ended);
      this.busy[job.lane] += ended - started;
      this.totals[job.lane].ran++;
      this.totals[job.lane].runMs += ended - started;
      this.running = false;
      done();
      this.pump();
    };
    work.then(
      (value) => settle(() => job.resolve(value)),
      (error: unknown) => settle(() => job.reject(error)),
    );
  }
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
}
