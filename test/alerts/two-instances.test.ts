// Two service instances on one store (in one process, on the embedded engine), both with every
// role: the jobs lease lets one of them run the alert evaluator, so an alert opens one episode
// and sends one webhook; when that instance stops, the other takes the lease over, picks up the
// open episode from the store (no second "opened") and sends the one "resolved" for it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/index.js';
import { startService, type RunningService } from '../../src/api/server.js';
import { episodeId } from '../../src/alerts/episodes.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { until } from '../support/poll.js';

interface Hook {
  type: string;
  alert: { id: string; queue: string; rule: string; opened_at: string; resolved_at: string | null };
}

let temp: TempStore;
let receiver: Server;
const hooks: Hook[] = [];
const services: RunningService[] = [];

beforeAll(async () => {
  temp = await openTempStore();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      hooks.push(JSON.parse(body) as Hook);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const s of services) await s.stop().catch(() => undefined);
  await new Promise((resolve) => receiver?.close(resolve));
  await temp?.cleanup();
});

function config(): Config {
  const c = loadConfig({
    PORT: '0',
    CALLCAST_DATA_DIR: temp.dir,
    CALLCAST_SIMULATE: 'off',
    CALLCAST_FORECAST_SCHEDULE: 'off',
    CALLCAST_REPORT_SCHEDULE: 'off',
    CALLCAST_ALERT_WEBHOOKS: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    CALLCAST_ALERT_WEBHOOK_SECRET: 'test-secret',
  });
  return { ...c, alerts: { ...c.alerts!, periodMs: 1000 } };
}

let n = 0;
const eventId = () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;

async function post(base: string, events: object[]) {
  const response = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(response.status).toBe(200);
}

const episodes = () =>
  temp.rows<{ id: string; rule: string; resolved: number }>(
    `SELECT id, rule, resolved_at IS NOT NULL AS resolved FROM alert_episodes FINAL ORDER BY opened_at`,
  );

describe('two instances on one store', () => {
  it('raise one episode and one webhook per alert, across a take-over', async () => {
    const log = pino({ level: 'silent' });
    const a = await startService(config(), log, { store: temp.store, holder: 'instance-a', leaseTtlMs: 3000 });
    services.push(a);
    const b = await startService(config(), log, { store: temp.store, holder: 'instance-b', leaseTtlMs: 3000 });
    services.push(b);
    // a started first and took the lease; b stays out while a renews it.
    expect([a.leader?.isLeader, b.leader?.isLeader]).toEqual([true, false]);

    const put = await fetch(`${b.url}/v1/alerts/rules/billing`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ waiting: { above: 2, clear_below: 0 }, clear_after: 1 }),
    });
    expect(put.status).toBe(200);
    const queuedAt = Date.now() - 30_000;
    await post(
      b.url,
      ['w1', 'w2', 'w3'].map((contact, i) => ({
        event_id: eventId(),
        type: 'contact.queued',
        occurred_at: new Date(queuedAt + i * 1000).toISOString(),
        contact_id: contact,
        queue: 'billing',
        channel: 'voice',
      })),
    );

    await until('the opened webhook', 30_000, () => hooks.some((h) => h.type === 'alert.opened'));
    // Three more evaluation periods: nothing else is sent, nothing else is stored.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(hooks.map((h) => [h.type, h.alert.queue, h.alert.rule])).toEqual([['alert.opened', 'billing', 'waiting']]);
    const opened = hooks[0]!.alert;
    // Opened on the evaluation grid (whole seconds here), under the id derived from it.
    expect(Date.parse(opened.opened_at) % 1000).toBe(0);
    expect(opened.id).toBe(episodeId('billing', 'waiting', '', opened.opened_at));
    expect(await episodes()).toEqual([{ id: opened.id, rule: 'waiting', resolved: 0 }]);
    expect(await temp.count(`SELECT count() FROM alert_episodes`)).toBe(1);
    // The other instance's API shows the same episode.
    const listed = (await (await fetch(`${b.url}/v1/alerts`)).json()) as { alerts: Array<{ id: string }> };
    expect(listed.alerts.map((e) => e.id)).toEqual([opened.id]);

    // a stops: it releases the lease, b takes it over and restores the open episode.
    await a.stop();
    services.splice(services.indexOf(a), 1);
    await until('b holds the lease', 10_000, () => b.leader?.isLeader === true);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(hooks.filter((h) => h.type === 'alert.opened')).toHaveLength(1);

    // Everyone answered: the episode resolves once, from b.
    await post(
      b.url,
      ['w1', 'w2', 'w3'].map((contact) => ({
        event_id: eventId(),
        type: 'contact.answered',
        occurred_at: new Date().toISOString(),
        contact_id: contact,
        agent_id: 'agent-1',
      })),
    );
    await until('the resolved webhook', 30_000, () => hooks.some((h) => h.type === 'alert.resolved'));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(hooks.map((h) => [h.type, h.alert.id])).toEqual([
      ['alert.opened', opened.id],
      ['alert.resolved', opened.id],
    ]);
    expect(await episodes()).toEqual([{ id: opened.id, rule: 'waiting', resolved: 1 }]);
  }, 120_000);
});
