// The embedded engine's statement queue: order between reads and writes, dropping statements
// whose caller gave up, closing; and on the real engine, that a request past its deadline leaves
// nothing behind to run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineQueue, EngineQueueAborted } from '../../src/store/index.js';
import { StoreUnavailable, fromStore } from '../../src/api/routes/errors.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job that records when it starts and finishes after `ms`. */
function job(log: string[], name: string, ms: number) {
  return async () => {
    log.push(name);
    await sleep(ms);
    return name;
  };
}

describe('EngineQueue', () => {
  it('runs one statement at a time', async () => {
    const queue = new EngineQueue();
    let running = 0;
    let most = 0;
    const work = async () => {
      most = Math.max(most, ++running);
      await sleep(5);
      running--;
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(i % 2 ? 'read' : 'write', work)));
    expect(most).toBe(1);
    expect(queue.stats().read.ran + queue.stats().write.ran).toBe(10);
  });

  it('while both wait, the lane that has had less than its share of engine time goes next', async () => {
    const queue = new EngineQueue({ writeShare: 0.5 });
    const log: string[] = [];
    // A read has held the engine 10 ms and nothing else has: the waiting write goes first. Then
    // the write has held it 150 ms, over its half: both queued reads go before the second write.
    const first = queue.submit('read', job(log, 'r0', 10));
    const w1 = queue.submit('write', job(log, 'w1', 150));
    await first;
    const rest = [
      queue.submit('write', job(log, 'w2', 1)),
      queue.submit('read', job(log, 'r1', 1)),
      queue.submit('read', job(log, 'r2', 1)),
    ];
    await Promise.all([w1, ...rest]);
    expect(log).toEqual(['r0', 'w1', 'r1', 'r2', 'w2']);
  });

  it('writes are not starved: with reads always waiting, writes still get their share', async () => {
    const queue = new EngineQueue({ writeShare: 0.5, windowMs: 1_000 });
    let stop = false;
    // Eight readers, each submitting again as soon as its read finishes (always one waiting).
    const readers = Array.from({ length: 8 }, async () => {
      while (!stop) await queue.submit('read', () => sleep(4));
    });
    const started = performance.now();
    let writes = 0;
    while (performance.now() - started < 600) {
      await queue.submit('write', () => sleep(4));
      writes++;
    }
    stop = true;
    await Promise.all(readers);
    const { read, write } = queue.stats();
    // Equal run times and a half share: about as many writes as reads, never a handful.
    expect(write.ran).toBe(writes);
    expect(write.runMs / (write.runMs + read.runMs)).toBeGreaterThan(0.35);
    expect(write.runMs / (write.runMs + read.runMs)).toBeLessThan(0.65);
  });

  it('a statement whose signal aborts while it waits is dropped unrun; the running one finishes', async () => {
    const queue = new EngineQueue();
    const log: string[] = [];
    const caller = new AbortController();
    const running = queue.submit('read', job(log, 'long', 50), caller.signal);
    const waiting = queue.submit('read', job(log, 'queued', 1), caller.signal);
    const other = queue.submit('read', job(log, 'other', 1));
    await sleep(10);
    caller.abort(new Error('deadline passed'));
    await expect(waiting).rejects.toThrow(EngineQueueAborted);
    await expect(waiting).rejects.toThrow(/read gave up after waiting \d+ ms in its queue \(deadline passed\)/);
    expect(await running).toBe('long');
    expect(await other).toBe('other');
    expect(log).toEqual(['long', 'other']);
    expect(queue.stats().read).toMatchObject({ ran: 2, dropped: 1, waiting: 0 });
  });

  it('an already aborted signal is refused at once', async () => {
    const queue = new EngineQueue();
    const log: string[] = [];
    await expect(queue.submit('write', job(log, 'never', 1), AbortSignal.abort())).rejects.toThrow(EngineQueueAborted);
    expect(log).toEqual([]);
  });

  it('close rejects what waits and what comes later; the running statement completes', async () => {
    const queue = new EngineQueue();
    const log: string[] = [];
    const running = queue.submit('write', job(log, 'w', 30));
    const waiting = queue.submit('read', job(log, 'r', 1));
    queue.close('shutting down');
    await expect(waiting).rejects.toThrow(/shutting down/);
    await expect(queue.submit('read', job(log, 'late', 1))).rejects.toThrow(/shutting down/);
    expect(await running).toBe('w');
    expect(log).toEqual(['w']);
  });
});

describe('the embedded store behind the queue', () => {
  let t: TempStore;
  beforeAll(async () => {
    t = await openTempStore();
  });
  afterAll(async () => t?.cleanup());

  it('a request past its deadline gets a 503 error and its queued statement never runs', async () => {
    const client = t.store.client;
    const before = t.store.queue!.stats().read;
    // Hold the engine ~1.5 s with a statement outside any request.
    const busy = client.command({ query: 'SELECT sleepEachRow(0.5) FROM numbers(3) FORMAT Null' });
    await sleep(50);
    const started = performance.now();
    const answer = fromStore(async () => {
      await client.command({ query: 'CREATE TABLE never_created (x UInt8) ENGINE = Memory' });
    }, 300);
    await expect(answer).rejects.toThrow(StoreUnavailable);
    expect(performance.now() - started).toBeLessThan(1_000);
    await busy;
    const after = t.store.queue!.stats().read;
    expect(after.dropped - before.dropped).toBe(1);
    expect(await t.count(`SELECT count() FROM system.tables WHERE name = 'never_created'`)).toBe(0);
  });

  it('statements of one request run in the order their lane allows, and all of them run', async () => {
    const client = t.store.client;
    await client.command({ query: 'CREATE TABLE q_order (x UInt32) ENGINE = MergeTree ORDER BY x' });
    await Promise.all([
      client.insert({ table: 'q_order', values: [{ x: 1 }, { x: 2 }], format: 'JSONEachRow' }),
      client.query({ query: 'SELECT count() FROM q_order', format: 'JSONEachRow' }),
      client.insert({ table: 'q_order', values: [{ x: 3 }], format: 'JSONEachRow' }),
    ]);
    expect(await t.count('SELECT sum(x) FROM q_order')).toBe(6);
    const stats = t.store.queue!.stats();
    expect(stats.write.waiting + stats.read.waiting).toBe(0);
  });
});
