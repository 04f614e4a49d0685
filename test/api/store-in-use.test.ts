// Store commands while `callcast serve` runs on the same data directory: one clear line naming
// the service's pid and what to do (never the engine's raw "Cannot lock file" exception), exit 1.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killServeProcesses, startServeProcess, type ServeProcess } from '../support/serve-process.js';

let dir: string;
let service: ServeProcess;

const QUIET = {
  CALLCAST_SIMULATE: 'off',
  CALLCAST_ALERTS: 'off',
  CALLCAST_FORECAST_SCHEDULE: 'off',
  CALLCAST_REPORT_SCHEDULE: 'off',
  LOG_LEVEL: 'warn',
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callcast-in-use-'));
  service = await startServeProcess({ ...QUIET, CALLCAST_DATA_DIR: dir });
}, 90_000);
afterAll(async () => {
  service?.child.kill('SIGTERM');
  await service?.exited;
  killServeProcesses();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...process.env, ...QUIET, CALLCAST_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('store commands while the service runs on the same store', () => {
  it('migrate, ingest, report voc and forecast run each say the store is in use by serve (pid)', async () => {
    const events = join(tmpdir(), `callcast-in-use-${process.pid}.ndjson`);
    writeFileSync(events, '{}\n');
    const expected = `callcast: the store at ${dir} is in use by a running callcast serve (pid ${service.child.pid}); stop it, or use the API / another CALLCAST_DATA_DIR\n`;
    for (const args of [
      ['migrate'],
      ['ingest', '--file', events],
      ['report', 'voc', '--week', '2026-W47'],
      ['forecast', 'run'],
    ]) {
      const result = await run(args);
      expect(result.stderr, args.join(' ')).toBe(expected);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout, args.join(' ')).toBe('');
    }
    rmSync(events, { force: true });
    // The service is untouched.
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  }, 180_000);
});
