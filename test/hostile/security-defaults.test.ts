// Safe defaults against a real store and real sockets: keys never reach the request log,
// webhooks never follow a redirect (the signature goes nowhere else), webhook URLs with
// credentials are refused by config and never logged, `serve` will not listen open on a network
// address, a misspelt opening-hours day is refused instead of wiping the hours.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebhookSender } from '../../src/alerts/webhooks.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { checkOpenListen, isLoopbackHost } from '../../src/config/env.js';
import { redactRequestUrl, redactUrl } from '../../src/logger.js';
import { metricsApp } from '../api/helpers.js';
import { until } from '../support/poll.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

/** A pino logger whose lines land in `lines` (as text). */
function capturingLogger(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe('log redaction', () => {
  it('masks credential query parameters and nothing else', () => {
    expect(redactRequestUrl('/v1/realtime/stream?api_key=cc_secret&queue=billing')).toBe(
      '/v1/realtime/stream?api_key=[redacted]&queue=billing',
    );
    expect(redactRequestUrl('/?lang=en&API_KEY=abc')).toBe('/?lang=en&API_KEY=[redacted]');
    expect(redactRequestUrl('/v1/metrics?queue=a&from=2026-01-01')).toBe('/v1/metrics?queue=a&from=2026-01-01');
    expect(redactRequestUrl('/v1/queues')).toBe('/v1/queues');
    expect(redactUrl('https://bob:hunter2@hooks.example.com/x?y=1')).toBe(
      'https://%5Bredacted%5D@hooks.example.com/x?y=1',
    );
    expect(redactUrl('https://hooks.example.com/x')).toBe('https://hooks.example.com/x');
  });

  let temp: TempStore;
  beforeAll(async () => {
    temp = await openTempStore();
  }, 60_000);
  afterAll(async () => {
    await temp?.cleanup();
  });

  it('writes no ?api_key= value to the request log, whatever logger the app is given', async () => {
    const { logger, lines } = capturingLogger();
    const app = await metricsApp(temp.store, { logger });
    try {
      const response = await app.inject({ method: 'GET', url: '/healthz?api_key=cc_tv_key_123&x=1' });
      expect(response.statusCode).toBe(200);
      const text = lines.join('');
      expect(text).not.toContain('cc_tv_key_123');
      const incoming = lines.map((l) => JSON.parse(l) as { msg: string; req?: { url: string } });
      const urls = incoming.filter((l) => l.req).map((l) => l.req!.url);
      expect(urls).toEqual(['/healthz?api_key=[redacted]&x=1']);
    } finally {
      await app.close();
    }
  });

  it('refuses a misspelt opening-hours day with 400 naming it, and keeps the hours', async () => {
    const app = await metricsApp(temp.store);
    try {
      const hours = { mon: [['08:00', '20:00']], sun: [] };
      const put = await app.inject({
        method: 'PUT',
        url: '/v1/queues/billing/settings',
        payload: { opening_hours: hours },
      });
      expect(put.statusCode).toBe(200);
      const bad = await app.inject({
        method: 'PUT',
        url: '/v1/queues/billing/settings',
        payload: { opening_hours: { monday: [['09:00', '17:00']] } },
      });
      expect(bad.statusCode).toBe(400);
      const body = bad.json<{ error: string; field: string }>();
      expect(body.field).toBe('opening_hours.monday');
      expect(body.error).toBe('opening_hours.monday: not a weekday (known: mon, tue, wed, thu, fri, sat, sun)');
      const after = await app.inject({ method: 'GET', url: '/v1/queues/billing/settings' });
      const answer = after.json<{ current: { version: number; settings: { opening_hours: unknown } } }>();
      expect(answer.current.settings.opening_hours).toEqual(hours);
      expect(answer.current.version).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe('alert webhooks and redirects', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });
  async function listen(handler: (req: IncomingMessage, body: string) => [number, Record<string, string>?]) {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        const [status, headers] = handler(req, body);
        res.writeHead(status, headers).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
  }

  it('does not follow a redirect: the target never sees the delivery or its signature; no retry', async () => {
    const target = await listen(() => [200]);
    const hook = await listen(() => [307, { location: target.url }]);
    const outcomes: string[] = [];
    const { logger, lines } = capturingLogger('warn');
    const sender = new WebhookSender({
      urls: [hook.url],
      secret: 's3cret',
      baseDelayMs: 10,
      logger,
      onOutcome: (o) => outcomes.push(o),
    });
    sender.send({ type: 'alert.opened' });
    await until('the delivery to fail', 10_000, () => outcomes.length > 0);
    await sender.stop();
    expect(outcomes).toEqual(['failed']);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.headers['x-callcast-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(target.received).toHaveLength(0);
    const line = JSON.parse(lines[0]!) as { problem: string; url: string; attempt: number };
    expect(line.problem).toBe(`HTTP 307 redirect to ${target.url} not followed`);
    expect(line.attempt).toBe(1);
  });

  it('refuses webhook URLs with credentials in config, naming the variable and not echoing the password', () => {
    const env = {
      CALLCAST_ALERT_WEBHOOKS: 'https://hooks.example.com/ok,https://bob:hunter2@hooks.example.com/x',
      CALLCAST_ALERT_WEBHOOK_SECRET: 'k',
    };
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('CALLCAST_ALERT_WEBHOOKS');
    expect((error as Error).message).toBe(
      'CALLCAST_ALERT_WEBHOOKS: a webhook URL must not carry credentials (user:password@); ' +
        'https://hooks.example.com/x is signed with CALLCAST_ALERT_WEBHOOK_SECRET instead',
    );
    expect((error as Error).message).not.toContain('hunter2');
    expect(() => loadConfig({ ...env, CALLCAST_ALERT_WEBHOOKS: 'https://hooks.example.com/ok' })).not.toThrow();
  });
});

describe('serve on a network address', () => {
  it('knows which hosts are loopback', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '::', '192.168.1.5', 'callcast.internal'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('is refused without keys unless CALLCAST_ALLOW_OPEN=1', () => {
    expect(() => checkOpenListen({ host: '0.0.0.0' }, {})).toThrow(ConfigError);
    expect(() => checkOpenListen({ host: '0.0.0.0' }, { CALLCAST_ALLOW_OPEN: '1' })).not.toThrow();
    expect(() => checkOpenListen({ host: '0.0.0.0', apiKeysFile: '/etc/callcast/keys.json' }, {})).not.toThrow();
    expect(() => checkOpenListen({ host: '127.0.0.1' }, {})).not.toThrow();
  });

  it('`callcast serve` with HOST=0.0.0.0 and no keys file exits 2 with one clear line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      env: {
        ...process.env,
        HOST: '0.0.0.0',
        PORT: '0',
        CALLCAST_DATA_DIR: '/nonexistent/never-opened',
        CALLCAST_API_KEYS_FILE: '',
        CALLCAST_ALLOW_OPEN: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe(
      'callcast: refusing to start: HOST: 0.0.0.0 is reachable from other machines and CALLCAST_API_KEYS_FILE is not set, ' +
        'so anyone could read and change everything; set CALLCAST_API_KEYS_FILE (docs/api.md, Authentication), ' +
        'listen on 127.0.0.1, or set CALLCAST_ALLOW_OPEN=1 to run an open API on purpose\n',
    );
  }, 60_000);
});
