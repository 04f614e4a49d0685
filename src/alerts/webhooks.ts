// Alert webhooks: each change is POSTed as JSON to every configured URL, signed with HMAC-SHA256
// over "<timestamp>.<body>" (X-Callcast-Timestamp, X-Callcast-Signature: sha256=<hex>), and
// retried with exponential backoff on connection errors, timeouts, 429 and 5xx. Sending never
// blocks evaluation: deliveries run in the background, at most `maxPending` at a time (a
// delivery beyond that is dropped and counted). Redirects are never followed (the signature
// goes only to the configured URL): a 3xx answer is a final failure naming where it pointed.
// URLs are logged with any user:password masked.
import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { redactUrl } from '../logger.js';

export interface WebhookOptions {
  urls: string[];
  /** HMAC key; without it the signature header is left out. */
  secret?: string;
  maxPending?: number;
  maxAttempts?: number;
  /** Delay before retry n (1-based) = min(maxDelayMs, baseDelayMs × 2^(n−1)). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  logger?: Logger;
  /** Called once per delivery outcome (and per retry), for metrics. */
  onOutcome?: (outcome: 'delivered' | 'retried' | 'failed' | 'dropped') => void;
}

export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookSender {
  private readonly pending = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly o: Required<Omit<WebhookOptions, 'secret' | 'logger' | 'onOutcome'>> & WebhookOptions;

  constructor(options: WebhookOptions) {
    this.o = { maxPending: 1000, maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 5000, ...options };
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Queues one delivery of `payload` per URL and returns at once. */
  send(payload: object): void {
    const body = JSON.stringify(payload);
    for (const url of this.o.urls) {
      if (this.stopping.signal.aborted) return;
      if (this.pending.size >= this.o.maxPending) {
        this.o.onOutcome?.('dropped');
        this.o.logger?.warn({ url: redactUrl(url) }, 'alert webhook queue full; delivery dropped');
        continue;
      }
      const delivery = this.deliver(url, body).finally(() => this.pending.delete(delivery));
      this.pending.add(delivery);
    }
  }

  private async deliver(url: string, body: string): Promise<void> {
    const id = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const problem = await this.attempt(url, body, id);
      if (problem === null) return void this.o.onOutcome?.('delivered');
      if (problem.final || attempt >= this.o.maxAttempts || this.stopping.signal.aborted) {
        this.o.onOutcome?.('failed');
        this.o.logger?.warn({ url: redactUrl(url), attempt, problem: problem.reason }, 'alert webhook failed');
        return;
      }
      this.o.onOutcome?.('retried');
      const delay = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
      try {
        await sleep(delay, undefined, { signal: this.stopping.signal });
      } catch {
        this.o.onOutcome?.('failed');
        return;
      }
    }
  }

  /** null when delivered; otherwise why, and whether retrying could help. */
  private async attempt(url: string, body: string, id: string): Promise<{ reason: string; final: boolean } | null> {
    // A new timestamp (and signature) per attempt: receivers reject stale ones.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-callcast-timestamp': timestamp,
      'x-callcast-delivery': id,
    };
    if (this.o.secret) headers['x-callcast-signature'] = signature(this.o.secret, timestamp, body);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return null;
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get('location');
        return {
          reason: `HTTP ${response.status} redirect${location ? ` to ${redactUrl(location)}` : ''} not followed`,
          final: true,
        };
      }
      const retry = response.status >= 500 || response.status === 429 || response.status === 408;
      return { reason: `HTTP ${response.status}`, final: !retry };
    } catch (error) {
      return { reason: redactUrl((error as Error).message), final: false };
    }
  }

  /** Waits for deliveries in flight up to `graceMs`, then abandons the retries still waiting. */
  async stop(graceMs = 2000): Promise<void> {
    const all = Promise.allSettled([...this.pending]);
    const timer = setTimeout(() => this.stopping.abort(), graceMs);
    await all;
    clearTimeout(timer);
    this.stopping.abort();
  }
}
