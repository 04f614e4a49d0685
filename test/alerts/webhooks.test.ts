// Alert webhooks against a real local HTTP server: signed as documented (HMAC-SHA256 over
// "<timestamp>.<body>"), retried with backoff on 5xx and on a dead server, not retried on 4xx,
// and never blocking the caller.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookSender, signature } from '../../src/alerts/webhooks.js';
import { until } from '../support/poll.js';

interface Received {
  at: number;
  body: string;
  headers: IncomingMessage['headers'];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A server answering each request with the next status of `statuses` (then 200). */
async function serve(statuses: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ at: performance.now(), body, headers: req.headers });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const SECRET = 'test-secret';
const payload = {
  type: 'alert.opened',
  alert: { id: 'a1', queue: 'billing', rule: 'waiting', message: 'billing: 25 contacts waiting (alert above 20)' },
};

describe('alert webhooks', () => {
  it('retries 5xx with doubling delays until delivered; every attempt is signed', async () => {
    const { url, received } = await serve([503, 500]);
    const outcomes: string[] = [];
    const sender = new WebhookSender({
      urls: [url],
      secret: SECRET,
      baseDelayMs: 100,
      onOutcome: (o) => outcomes.push(o),
    });
    // send() is synchronous and returns before any request is made.
    expect(sender.send(payload)).toBeUndefined();
    expect(received).toHaveLength(0);
    expect(sender.pendingCount).toBe(1);
    await until('three attempts', 10_000, () => received.length === 3 && outcomes.includes('delivered'));
    expect(outcomes).toEqual(['retried', 'retried', 'delivered']);
    // Backoff: ≥ 100 ms before the second attempt, ≥ 200 ms before the third.
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(95);
    expect(received[2]!.at - received[1]!.at).toBeGreaterThanOrEqual(195);
    for (const r of received) {
      expect(JSON.parse(r.body)).toEqual(payload);
      expect(r.headers['content-type']).toBe('application/json');
      const timestamp = String(r.headers['x-callcast-timestamp']);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(30);
      // The receiver's check, as docs/alerts.md describes it.
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${r.body}`).digest('hex')}`;
      expect(r.headers['x-callcast-signature']).toBe(expected);
    }
    // One delivery id across its retries.
    expect(new Set(received.map((r) => r.headers['x-callcast-delivery'])).size).toBe(1);
    await sender.stop();
  });

  it('does not retry a 4xx answer other than 408/429', async () => {
    const { url, received } = await serve([400]);
    const outcomes: string[] = [];
    const sender = new WebhookSender({
      urls: [url],
      secret: SECRET,
      baseDelayMs: 50,
      onOutcome: (o) => outcomes.push(o),
    });
    sender.send(payload);
    await until('the failure', 5_000, () => outcomes.length === 1);
    expect(outcomes).toEqual(['failed']);
    expect(received).toHaveLength(1);
    await sender.stop();
  });

  it('retries a server that is down, gives up after maxAttempts, and drops beyond maxPending', async () => {
    const dead = await serve([]);
    const deadUrl = dead.url;
    await new Promise((resolve) => servers.pop()!.close(resolve)); // nothing listens there now
    const outcomes: string[] = [];
    const sender = new WebhookSender({
      urls: [deadUrl],
      secret: SECRET,
      baseDelayMs: 20,
      maxAttempts: 3,
      maxPending: 2,
      onOutcome: (o) => outcomes.push(o),
    });
    sender.send(payload);
    sender.send(payload);
    sender.send(payload); // a third pending delivery is over the bound
    expect(outcomes).toEqual(['dropped']);
    expect(sender.pendingCount).toBe(2);
    await until('both deliveries to give up', 10_000, () => outcomes.filter((o) => o === 'failed').length === 2);
    expect(outcomes.filter((o) => o === 'retried')).toHaveLength(4); // 2 deliveries × (3 attempts − 1)
    await sender.stop();
    expect(sender.pendingCount).toBe(0);
  });

  it('signature() is HMAC-SHA256 of "<timestamp>.<body>" in hex', () => {
    // Reference value from `printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac key`.
    expect(signature('key', '1700000000', '{"a":1}')).toBe(
      'sha256=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03',
    );
  });
});
