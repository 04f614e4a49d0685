// The jobs lease on the embedded engine: one holder per term, renewals, take-over after expiry,
// two processes claiming at once, release on stop, and the Leader loop that starts and stops jobs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobLease, Leader } from '../../src/store/lease.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { until } from '../support/poll.js';

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(async () => {
  await temp?.cleanup();
});

const lease = (job: string, holder: string, ttlMs: number) => new JobLease(temp.store.client, { job, holder, ttlMs });

describe('JobLease', () => {
  it('first claim holds term 1; others stay out; the holder renews the same term', async () => {
    const a = lease('t1', 'a', 60_000);
    const b = lease('t1', 'b', 60_000);
    expect(await a.state()).toBeUndefined();
    expect(await a.tryAcquire()).toBe(true);
    const first = await a.state();
    expect(first).toMatchObject({ term: 1, holder: 'a', live: true });
    expect(await b.tryAcquire()).toBe(false);
    expect(await a.tryAcquire()).toBe(true);
    const renewed = await a.state();
    expect(renewed).toMatchObject({ term: 1, holder: 'a', live: true });
    expect(renewed!.expiresAt).toBeGreaterThanOrEqual(first!.expiresAt);
    // Other jobs have their own leases.
    expect(await lease('t1-other', 'b', 60_000).tryAcquire()).toBe(true);
  });

  it('is taken over once the holder stops renewing and its term has expired', async () => {
    const a = lease('t2', 'a', 300);
    const b = lease('t2', 'b', 60_000);
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    await until('a’s term expired', 10_000, async () => (await a.state())?.live === false);
    expect(await b.tryAcquire()).toBe(true);
    expect(await b.state()).toMatchObject({ term: 2, holder: 'b', live: true });
    // The old holder comes back: the term is b's.
    expect(await a.tryAcquire()).toBe(false);
  });

  it('two processes claiming the same expired term at once: exactly one holds it', async () => {
    for (let round = 0; round < 5; round++) {
      const job = `t3-${round}`;
      const claims = ['a', 'b', 'c'].map((h) => lease(job, h, 60_000));
      const held = await Promise.all(claims.map((c) => c.tryAcquire()));
      expect(held.filter(Boolean)).toHaveLength(1);
      const winner = ['a', 'b', 'c'][held.indexOf(true)];
      expect(await claims[0]!.state()).toMatchObject({ term: 1, holder: winner, live: true });
      // And every one of them agrees on the next round.
      expect(await Promise.all(claims.map((c) => c.tryAcquire()))).toEqual(held);
    }
  });

  it('release ends the term at once: another process takes the next one', async () => {
    const a = lease('t4', 'a', 60_000);
    const b = lease('t4', 'b', 60_000);
    expect(await a.tryAcquire()).toBe(true);
    await b.release(); // not the holder: no effect
    expect(await b.tryAcquire()).toBe(false);
    await a.release();
    expect(await a.state()).toMatchObject({ term: 2, holder: '', live: false });
    expect(await b.tryAcquire()).toBe(true);
    expect(await b.state()).toMatchObject({ term: 3, holder: 'b', live: true });
  });
});

describe('Leader', () => {
  it('runs the jobs in one process; on stop the other takes over', async () => {
    const events: string[] = [];
    const leader = (holder: string) =>
      new Leader(lease('t5', holder, 60_000), {
        checkMs: 50,
        onAcquire: () => void events.push(`${holder} start`),
        onLose: () => void events.push(`${holder} stop`),
      });
    const a = leader('a');
    const b = leader('b');
    await a.check();
    await b.check();
    a.start();
    b.start();
    await until(
      'a few checks each',
      10_000,
      async () => (await temp.count(`SELECT count() FROM job_leases WHERE job = 't5'`)) >= 5,
    );
    expect(events).toEqual(['a start']);
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    await a.stop();
    await until('b takes over', 10_000, () => b.isLeader);
    expect(events).toEqual(['a start', 'a stop', 'b start']);
    await b.stop();
    expect(events).toEqual(['a start', 'a stop', 'b start', 'b stop']);
  });
});
