// Sinks (HTTP NDJSON with retries, stdout), live pacing, and the CLI command.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallcastEvent } from '../../src/events/schemas.js';
import { registerSimulateCommand } from '../../src/cli/simulate.js';
import { parseSurge, simulateHistory, simulateLive, type LiveClock } from '../../pipelines/simulate/generator.js';
import { type EventSink, eventKey, httpSink, ndjsonSink } from '../../pipelines/simulate/sinks.js';

const sample = (n: number): CallcastEvent[] =>
  [...simulateHistory({ days: 1, queues: 2, seed: 4, start: '2026-11-23' })].slice(0, n);

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function listen(handler: (req: IncomingMessage, body: string) => [number, string]): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const [status, text] = handler(req, body);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('httpSink', () => {
  it('POSTs NDJSON batches of 1000 to /v1/events with the API key, retrying 5xx', async () => {
    const bodies: string[] = [];
    let calls = 0;
    const url = await listen((req, body) => {
      calls++;
      expect(req.url).toBe('/v1/events');
      expect(req.method).toBe('POST');
      expect(req.headers['content-type']).toBe('application/x-ndjson');
      expect(req.headers.authorization).toBe('Bearer k1');
      if (calls === 2) return [503, 'busy']; // first attempt of the second batch fails
      bodies.push(body);
      return [202, 'ok'];
    });
    const events = sample(2500);
    const sink = httpSink({ url: `${url}/`, apiKey: 'k1', backoffMs: 1 });
    await sink.send(events);
    await sink.close();
    expect(calls).toBe(4);
    expect(bodies.map((b) => b.trimEnd().split('\n').length)).toEqual([1000, 1000, 500]);
    const back = bodies.flatMap((b) =>
      b
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as CallcastEvent),
    );
    expect(back).toEqual(events);
  });

  it('fails at once on a 4xx, and after its attempts when the server is unreachable', async () => {
    const url = await listen(() => [400, 'bad event']);
    await expect(httpSink({ url, backoffMs: 1 }).send(sample(3))).rejects.toThrow(/HTTP 400.*bad event/);
    await expect(httpSink({ url: 'http://127.0.0.1:9', attempts: 2, backoffMs: 1 }).send(sample(3))).rejects.toThrow(
      /cannot reach.*2 attempts/,
    );
  });
});

describe('ndjsonSink and keys', () => {
  it('writes one JSON object per line; keys keep a contact (or agent) together', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    const events = sample(50);
    const sink = ndjsonSink(stream);
    await sink.send(events);
    await sink.close();
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(events);
    for (const e of events)
      expect(eventKey(e)).toBe('contact_id' in e ? e.contact_id : (e as { agent_id: string }).agent_id);
  });
});

describe('simulateLive', () => {
  it('paces events to a (fake) clock at the given rate and matches the history of the same seed', async () => {
    const start = Date.parse('2026-11-23T09:00:00Z');
    let wall = start;
    const clock: LiveClock = { now: () => wall, sleep: async (ms) => void (wall += ms) };
    const abort = new AbortController();
    const got: CallcastEvent[] = [];
    for await (const batch of simulateLive({ seed: 9, queues: 3, start, rate: 60, clock, signal: abort.signal })) {
      const simNow = start + (wall - start) * 60;
      for (const e of batch) expect(Date.parse(e.occurred_at as string)).toBeLessThanOrEqual(simNow);
      got.push(...batch);
      if (simNow >= start + 3_600_000) abort.abort(); // one simulated hour = one fake wall minute
    }
    expect(got.length).toBeGreaterThan(100);
    const history = [...simulateHistory({ days: 1, queues: 3, seed: 9, start })].slice(0, got.length);
    expect(got).toEqual(history);
  });
});

describe('parseSurge', () => {
  it('reads reason:factor:start with a colon-bearing time, UTC by default, or an offset', () => {
    expect(parseSurge('payment failed:3:2026-11-20T10:00')).toEqual({
      reason: 'payment failed',
      factor: 3,
      start: Date.parse('2026-11-20T10:00:00Z'),
    });
    expect(parseSurge('billing:1.5:+2h', 1000).start).toBe(1000 + 7_200_000);
    expect(() => parseSurge('billing:3')).toThrow(/reason:factor:start/);
    expect(() => parseSurge('billing:-1:2026-01-01')).toThrow(/factor/);
    expect(() => parseSurge('billing:2:tomorrow')).toThrow(/start/);
  });
});

describe('callcast simulate', () => {
  function program(store: CallcastEvent[]) {
    const errors: string[] = [];
    const p = new Command('callcast')
      .exitOverride()
      .configureOutput({ writeErr: (s) => errors.push(s), writeOut: () => {} });
    const sink: EventSink = { send: async (events) => void store.push(...events), close: async () => {} };
    registerSimulateCommand(p, { storeSink: async () => sink });
    return { p, errors };
  }

  it('sends a seeded history to the store by default', async () => {
    const store: CallcastEvent[] = [];
    const { p } = program(store);
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      await p.parseAsync(['simulate', '--days', '1', '--queues', '2', '--seed', '3', '--start', '2026-11-23'], {
        from: 'user',
      });
    } finally {
      process.stderr.write = write;
    }
    expect(store).toEqual([...simulateHistory({ days: 1, queues: 2, seed: 3, start: '2026-11-23' })]);
  });

  it.each([
    [['--days', 'two'], /--days must be a whole number/],
    [['--queues', '0'], /--queues must be from 1 to 50/],
    [['--rate', '10'], /--rate only applies with --live/],
    [['--live', '--rate', '-1'], /--rate must be a number above 0/],
    [['--to', 'fax'], /Allowed choices are store, kafka, http, stdout/],
    [['--surge', 'weather:2:2026-11-20T10:00'], /--surge: "weather" is not a contact reason/],
    [['--surge', 'billing:2'], /--surge: expected reason:factor:start/],
    [['--start', 'yesterday'], /--start must be an ISO-8601 time/],
    [['--to', 'kafka', '--brokers', 'nohost'], /--brokers must be host:port/],
    [['--to', 'http', '--url', 'ftp://x'], /--url must be an http\(s\) URL/],
    [['--url', 'http://x'], /--url\/--api-key only apply with --to http/],
  ])('rejects %j naming the flag', async (args, message) => {
    const { p, errors } = program([]);
    await expect(p.parseAsync(['simulate', ...(args as string[])], { from: 'user' })).rejects.toThrow();
    expect(errors.join('')).toMatch(message as RegExp);
  });
});
