// The wallboard TV fixture shared by the browser tests: per queue a quarter-hour of contacts
// posted through the API, and the check that every tile is fully on screen with nothing inside it
// cut off.
import { expect } from 'vitest';

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

/** POSTs events to the running app at `base`; 200 expected. */
export async function postEvents(base: string, events: object[]): Promise<void> {
  const response = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(response.status).toBe(200);
}

/**
 * Per-queue events with ids tagged `idTag` (4 hex digits, one per test file): two answered
 * contacts (each waited 65 s, handled 2:05, surveyed), two still waiting.
 */
export function tvDay(idTag: string): (queue: string) => object[] {
  let n = 0;
  const id = () => `00000000-0000-4000-${idTag}-${(++n).toString(16).padStart(12, '0')}`;
  return function day(queue: string): object[] {
    const c = (s: string) => `${queue}-${s}`;
    const answered = (name: string, ago: number, nps: number, csat: number) => [
      { event_id: id(), type: 'contact.queued', occurred_at: iso(ago), contact_id: c(name), queue, channel: 'voice' },
      {
        event_id: id(),
        type: 'contact.answered',
        occurred_at: iso(ago - 65_000),
        contact_id: c(name),
        agent_id: `${queue}-ag`,
      },
      {
        event_id: id(),
        type: 'contact.completed',
        occurred_at: iso(ago - 200_000),
        contact_id: c(name),
        agent_id: `${queue}-ag`,
        talk_s: 100,
        hold_s: 5,
        wrap_s: 20,
      },
      { event_id: id(), type: 'survey.submitted', occurred_at: iso(ago - 300_000), contact_id: c(name), nps, csat },
    ];
    return [
      ...answered('a', 900_000, 10, 5),
      ...answered('b', 850_000, 9, 4),
      {
        event_id: id(),
        type: 'contact.queued',
        occurred_at: iso(200_000),
        contact_id: c('w1'),
        queue,
        channel: 'chat',
      },
      {
        event_id: id(),
        type: 'contact.queued',
        occurred_at: iso(100_000),
        contact_id: c('w2'),
        queue,
        channel: 'chat',
      },
    ];
  };
}

export interface Box {
  queue: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
  /** Elements inside the tile whose box leaves the tile's box (cut off). */
  cut: string[];
}

// Runs in the page (a string: the project's TypeScript has no DOM types).
export const TILE_BOXES = `[...document.querySelectorAll('[data-queue]')].map((tile) => {
  const r = tile.getBoundingClientRect();
  const cut = [...tile.querySelectorAll('h2, .sl, .target, .fig b, .fig span, svg, .axis span')]
    .filter((el) => {
      const e = el.getBoundingClientRect();
      return e.bottom > r.bottom + 0.5 || e.right > r.right + 0.5 || e.top < r.top - 0.5 || e.left < r.left - 0.5;
    })
    .map((el) => el.tagName.toLowerCase() + '.' + (el.className.baseVal ?? el.className) + ':' + el.textContent);
  return { queue: tile.dataset.queue, top: r.top, left: r.left, bottom: r.bottom, right: r.right, cut };
})`;

export function expectAllOnScreen(boxes: Box[], count: number) {
  expect(boxes).toHaveLength(count);
  for (const b of boxes) {
    expect(b.top, b.queue).toBeGreaterThanOrEqual(0);
    expect(b.left, b.queue).toBeGreaterThanOrEqual(0);
    expect(b.bottom, b.queue).toBeLessThanOrEqual(1080);
    expect(b.right, b.queue).toBeLessThanOrEqual(1920);
    expect(b.cut, b.queue).toEqual([]);
  }
}

// "Today" is the queue's local day: near midnight UTC, cut it in Tokyo so the last 15 minutes fall on it.
/** Each queue in the test's zone, alerting above one waiting contact. */
export async function configureQueues(
  app: { inject(o: { method: 'PUT'; url: string; payload: object }): Promise<{ statusCode: number }> },
  queues: string[],
): Promise<void> {
  const minuteOfDay = Math.floor(Date.now() / 60_000) % 1440;
  const zone = minuteOfDay < 30 || minuteOfDay > 1410 ? 'Asia/Tokyo' : 'UTC';
  for (const queue of queues) {
    const settings = await app.inject({
      method: 'PUT',
      url: `/v1/queues/${queue}/settings`,
      payload: { time_zone: zone, effective_from: '2000-01-01T00:00:00Z' },
    });
    expect(settings.statusCode).toBe(200);
    const rules = await app.inject({
      method: 'PUT',
      url: `/v1/alerts/rules/${queue}`,
      payload: { waiting: { above: 1, clear_below: 0 } },
    });
    expect(rules.statusCode).toBe(200);
  }
}
