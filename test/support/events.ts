// Hand-built contract events for tests: deterministic ids so expectations can name them.
import type { CallcastEvent } from '../../src/events/index.js';

/** A valid UUID v4 made from a number, so tests can produce the same id twice on purpose. */
export function uuidFor(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

export function queued(n: number, overrides: Record<string, unknown> = {}): CallcastEvent {
  return {
    event_id: uuidFor(n),
    type: 'contact.queued',
    occurred_at: '2026-11-02T09:00:00.000Z',
    contact_id: `c${n}`,
    queue: 'billing',
    channel: 'voice',
    ...overrides,
  } as CallcastEvent;
}
