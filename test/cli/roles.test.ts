// CALLCAST_ROLES: which of api, ingest and jobs a process runs.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { startService } from '../../src/api/server.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

describe('CALLCAST_ROLES', () => {
  it('defaults to every role; takes a comma-separated subset in any case and spacing', () => {
    expect([...loadConfig({}).roles!]).toEqual(['api', 'ingest', 'jobs']);
    expect([...loadConfig({ CALLCAST_ROLES: ' Ingest , jobs' }).roles!]).toEqual(['ingest', 'jobs']);
    expect([...loadConfig({ CALLCAST_ROLES: 'api' }).roles!]).toEqual(['api']);
  });

  it('a wrong value stops start-up naming the variable', () => {
    for (const bad of ['web', 'api,,jobs', 'api;jobs']) {
      expect(() => loadConfig({ CALLCAST_ROLES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ CALLCAST_ROLES: bad })).toThrow(
        `CALLCAST_ROLES: expected a comma-separated list of api, ingest, jobs, got "${bad}"`,
      );
    }
  });
});

describe('a process without the api role', () => {
  let temp: TempStore;
  beforeAll(async () => {
    temp = await openTempStore();
  });
  afterAll(async () => {
    await temp?.cleanup();
  });

  it('answers only health, readiness and metrics; with jobs it takes the lease', async () => {
    const config = loadConfig({
      PORT: '0',
      CALLCAST_DATA_DIR: temp.dir,
      CALLCAST_ROLES: 'jobs',
      CALLCAST_FORECAST_SCHEDULE: 'off',
      CALLCAST_REPORT_SCHEDULE: 'off',
    });
    const service = await startService(config, pino({ level: 'silent' }), { store: temp.store, holder: 'jobs-only' });
    try {
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toContain('callcast_alert_evaluations_total');
      expect((await fetch(`${service.url}/v1/queues`)).status).toBe(404);
      expect((await fetch(`${service.url}/`)).status).toBe(404);
      expect(service.leader?.isLeader).toBe(true);
    } finally {
      await service.stop();
    }
    // Stopped: the lease was released (the next term is held by nobody and already over).
    const [lease] = await temp.rows<{ holder: string }>(
      `SELECT argMin(holder, (claimed_at, holder)) AS holder FROM job_leases WHERE job = 'jobs' GROUP BY term ORDER BY term DESC LIMIT 1`,
    );
    expect(lease).toEqual({ holder: '' });
  }, 60_000);
});
