// The alerts an API process shows when another process holds the jobs lease: the open episodes
// read from the store each period, passed on as opened / resolved changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveEpisodes } from '../../src/alerts/episode-store.js';
import type { AlertChange } from '../../src/alerts/evaluator.js';
import { episodeId, type Episode } from '../../src/alerts/episodes.js';
import { SharedAlertFeed } from '../../src/alerts/shared-feed.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(async () => temp?.cleanup());

function episode(queue: string, openedAt: string): Episode {
  return {
    id: episodeId(queue, 'waiting', '', openedAt),
    queue,
    rule: 'waiting',
    subject: '',
    opened_at: openedAt,
    resolved_at: null,
    message: `${queue}: 3 contacts waiting (alert above 2)`,
    opened_value: { waiting: 3 },
    last_value: { waiting: 3 },
  };
}

describe('SharedAlertFeed (a process without the lease)', () => {
  it('passes on what the store says opened and resolved since its last read', async () => {
    const feed = new SharedAlertFeed(temp.store.client, { pollMs: 60_000 });
    const changes: string[] = [];
    feed.subscribe((c: AlertChange) => changes.push(`${c.change} ${c.episode.queue} ${c.episode.resolved_at ?? '-'}`));

    await feed.poll();
    expect(changes).toEqual([]);

    const billing = episode('billing', '2026-11-02T10:00:00.000Z');
    const sales = episode('sales', '2026-11-02T10:01:00.000Z');
    await saveEpisodes(temp.store.client, [billing, sales]);
    await feed.poll();
    expect(changes).toEqual(['opened billing -', 'opened sales -']);
    expect(feed.active().map((e) => e.queue)).toEqual(['billing', 'sales']);

    // Nothing changed: nothing passed on.
    await feed.poll();
    expect(changes).toHaveLength(2);

    await saveEpisodes(temp.store.client, [{ ...billing, resolved_at: '2026-11-02T10:05:00.000Z' }]);
    await feed.poll();
    expect(changes.slice(2)).toEqual(['resolved billing 2026-11-02T10:05:00.000Z']);
    expect(feed.active().map((e) => e.queue)).toEqual(['sales']);
    await feed.stop();
  });
});

describe('episodeId', () => {
  it('is a version-5-shaped UUID of queue, rule, subject and opened-at: same inputs, same id', () => {
    const a = episodeId('billing', 'waiting', '', '2026-11-02T10:00:00.000Z');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(episodeId('billing', 'waiting', '', '2026-11-02T10:00:00.000Z')).toBe(a);
    const others = [
      episodeId('sales', 'waiting', '', '2026-11-02T10:00:00.000Z'),
      episodeId('billing', 'service_level', '', '2026-11-02T10:00:00.000Z'),
      episodeId('billing', 'waiting', 'refund', '2026-11-02T10:00:00.000Z'),
      episodeId('billing', 'waiting', '', '2026-11-02T10:01:00.000Z'),
    ];
    expect(new Set([a, ...others]).size).toBe(5);
  });
});
