// Serialised answers that hold for a while, kept per route: an entry answers a later request with
// the same parameters while the store state is the one it was computed at and the reader's now is
// within [computed now, valid until) — exact, not a time-to-live. Bounded by total size.
import type { FastifyReply } from 'fastify';

export interface CachedAnswer {
  state: string;
  now: number;
  validUntil: number;
  body: string;
}

export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** The body kept for `key` if it holds for a reader at `now` with store state `state`. */
  get(key: string, state: string, now: number): string | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.state !== state || now < hit.now || now >= hit.validUntil) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit); // most recently used last
    return hit.body;
  }

  set(key: string, answer: CachedAnswer): void {
    this.drop(key);
    if (answer.body.length > this.maxBytes) return;
    this.entries.set(key, answer);
    this.bytes += answer.body.length;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.bytes -= old.body.length;
    this.entries.delete(key);
  }
}

/** Sends a body already serialised as JSON (what the route's serialiser would have written). */
export function sendJsonText(reply: unknown, body: string): FastifyReply {
  return (reply as FastifyReply).type('application/json; charset=utf-8').send(body);
}

/** The route's own serialisation of `payload` (its response schema), as text. */
export function serialized(reply: unknown, payload: unknown): string {
  return String((reply as FastifyReply).serialize(payload));
}
