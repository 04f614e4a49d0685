// The service under test as a child process (`callcast serve`), so its memory is its own:
// RSS from /proc/<pid>/status, heap and ingest counters from its Prometheus endpoint.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/callcast.js', import.meta.url));

export interface ServiceProcess {
  url: string;
  pid: number;
  /** Stops with SIGTERM (flush, commit, leave the group); SIGKILL after `graceMs`. Resolves with how it exited. */
  stop(graceMs?: number): Promise<string>;
  /** Last lines the service wrote (its log at LOG_LEVEL, default warn, and stderr). */
  stderrTail(): string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// Scheduled jobs (forecast, weekly report) are off: they are not the load under test, and a
// report run in progress holds up SIGTERM (its stop awaits the run).
export async function startServiceProcess(
  env: Record<string, string>,
  readyTimeoutMs = 60_000,
): Promise<ServiceProcess> {
  const port = await freePort();
  // SOAK_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the service (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = (process.env.SOAK_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, CLI, 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CALLCAST_SIMULATE: 'off',
      CALLCAST_FORECAST_SCHEDULE: 'off',
      CALLCAST_REPORT_SCHEDULE: 'off',
      LOG_LEVEL: process.env.SOAK_SERVICE_LOG_LEVEL ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (tail = (tail + chunk).slice(-8_000)));
  // The service logs (pino) to stdout: keep the end of it beside stderr.
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => (tail = (tail + chunk).slice(-8_000)));
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (gone) throw new Error(`callcast serve exited before it was ready:\n${tail}`);
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`callcast serve not ready within ${readyTimeoutMs} ms:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    async stop(graceMs = 60_000) {
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
    stderrTail: () => tail,
  };
}

/** Resident set size of a process in MB (Linux). */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)/m.exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) / 1024;
}

export interface ServiceCounters {
  /** Rows inserted into the raw tables (copies included) plus dead letters: every consumed message once. */
  handled: number;
  storedRows: number;
  deadLettered: number;
  consumerLag: number;
  heapUsedMb: number;
  insertErrors: number;
  consumerRestarts: number;
}

function sumOf(text: string, metric: string): number {
  let sum = 0;
  const pattern = new RegExp(`^${metric}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'gm');
  for (const m of text.matchAll(pattern)) sum += Number(m[1]);
  return sum;
}

/** Reads the service's Prometheus counters (no store query involved). */
export async function scrape(url: string): Promise<ServiceCounters> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  const storedRows = sumOf(text, 'callcast_events_stored_total');
  const deadLettered = sumOf(text, 'callcast_events_dead_lettered_total');
  return {
    handled: storedRows + deadLettered,
    storedRows,
    deadLettered,
    consumerLag: sumOf(text, 'callcast_kafka_consumer_lag'),
    heapUsedMb: sumOf(text, 'nodejs_heap_size_used_bytes') / 1024 / 1024,
    insertErrors: sumOf(text, 'callcast_insert_errors_total'),
    consumerRestarts: sumOf(text, 'callcast_kafka_consumer_restarts_total'),
  };
}
