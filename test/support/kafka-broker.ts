/**
 * A real Kafka-protocol broker cluster for tests and benchmarks: librdkafka's mock
 * cluster (Debian librdkafka-dev) wrapped by test/support/mock-kafka.c, which this
 * module compiles on first use and drives over stdin/stdout. See docs/testing-kafka.md.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';

const execFileP = promisify(execFile);

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');
const SOURCE = join(HERE, 'mock-kafka.c');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'callcast');
const BINARY = join(CACHE_DIR, 'mock-kafka');

const SETUP_HINT = 'run `bash test/support/prepare.sh` (as root) to install librdkafka-dev, gcc and pkg-config';

/** Kafka protocol api keys accepted by `injectErrors` (numbers work too). */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  ApiVersions: 18,
  InitProducerId: 22,
} as const;

/** A few Kafka error codes useful for fault injection (retriable unless noted). */
export const KafkaErrorCode = {
  /** librdkafka-internal: the mock broker drops the connection instead of answering. */
  TRANSPORT: -195,
  OFFSET_OUT_OF_RANGE: 1, // not retriable
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_FOR_PARTITION: 6,
  REQUEST_TIMED_OUT: 7,
  NETWORK_EXCEPTION: 13,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  NOT_ENOUGH_REPLICAS: 19,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 20,
  ILLEGAL_GENERATION: 22, // consumer rejoins
  UNKNOWN_MEMBER_ID: 25, // consumer rejoins
  REBALANCE_IN_PROGRESS: 27, // consumer rejoins
  TOPIC_AUTHORIZATION_FAILED: 29, // not retriable
} as const;

export interface MockKafkaTopic {
  name: string;
  partitions: number;
  /** Cosmetic in the mock (no real replication); defaults to min(brokers, 3). */
  replicationFactor?: number;
}

export interface MockKafkaOptions {
  /** Number of brokers, ids 1..brokers. Default 3. */
  brokers?: number;
  /** Topics to create before the cluster is handed out. */
  topics?: MockKafkaTopic[];
  /** How long to wait for the BOOTSTRAP line. Default 15 s. */
  startTimeoutMs?: number;
  /** Forward the helper's stderr (librdkafka logs) to this process's stderr. */
  verbose?: boolean;
}

export interface MockKafka {
  /** host:port of every broker, e.g. ['127.0.0.1:40123', ...]. */
  readonly bootstrap: string[];
  /** Send one raw stdin command (see docs/testing-kafka.md); resolves with the text after `OK`, rejects on `ERR`. */
  command(cmd: string): Promise<string>;
  createTopic(name: string, partitions: number, replicationFactor?: number): Promise<void>;
  /** Drops the broker's connections and refuses new ones. Does NOT move partition leadership. -1 = all brokers. */
  brokerDown(id: number): Promise<void>;
  brokerUp(id: number): Promise<void>;
  /** Moves a partition's leadership (the topic is created if missing); -1 makes it leaderless. */
  setLeader(topic: string, partition: number, brokerId: number): Promise<void>;
  /** The next `count` requests with this api key (on any broker) fail with `code` (number or librdkafka name). */
  injectErrors(apiKey: number | keyof typeof ApiKey, count: number, code: number | string): Promise<void>;
  clearErrors(apiKey: number | keyof typeof ApiKey): Promise<void>;
  /** The next `count` requests with this api key to one broker fail with `code`, optionally after `rttMs`. */
  brokerErrors(
    brokerId: number,
    apiKey: number | keyof typeof ApiKey,
    count: number,
    code: number | string,
    rttMs?: number,
  ): Promise<void>;
  /** Adds `ms` of round-trip latency to every response from the broker (-1 = all brokers). */
  setRtt(brokerId: number, ms: number): Promise<void>;
  /** Ends the helper (EOF on stdin, then SIGKILL after 3 s). Idempotent. */
  stop(): Promise<void>;
}

let buildPromise: Promise<string> | undefined;

async function mtimeMs(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function compilerFlags(): Promise<string[]> {
  try {
    const { stdout } = await execFileP('pkg-config', ['--cflags', '--libs', 'rdkafka']);
    const flags = stdout.trim().split(/\s+/).filter(Boolean);
    if (flags.length > 0) return flags;
  } catch {
    // no pkg-config, or no rdkafka.pc: fall back to the plain library name
  }
  return ['-lrdkafka'];
}

/**
 * Compiles test/support/mock-kafka.c into node_modules/.cache/callcast/mock-kafka
 * unless an up-to-date binary is there; resolves with the binary's path.
 * Safe to call concurrently from several processes (build to a temp name, then rename).
 */
export function buildMockKafka(): Promise<string> {
  buildPromise ??= (async () => {
    const [src, bin] = await Promise.all([mtimeMs(SOURCE), mtimeMs(BINARY)]);
    if (src === undefined) throw new Error(`mock-kafka: source not found at ${SOURCE}`);
    if (bin !== undefined && bin >= src) return BINARY;
    await mkdir(CACHE_DIR, { recursive: true });
    const tmp = `${BINARY}.${process.pid}.${Date.now()}.tmp`;
    const args = ['-O2', '-o', tmp, SOURCE, ...(await compilerFlags())];
    try {
      await execFileP(process.env.CC ?? 'cc', args, { maxBuffer: 4 * 1024 * 1024 });
    } catch (err) {
      await rm(tmp, { force: true });
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      const detail = e.code === 'ENOENT' ? 'no C compiler (cc) found' : (e.stderr ?? e.message).trim();
      const missingLib = /rdkafka(_mock)?\.h|-lrdkafka|rdkafka/.test(detail)
        ? ' (librdkafka-dev is probably missing)'
        : '';
      buildPromise = undefined;
      throw new Error(`mock-kafka: failed to compile ${SOURCE}${missingLib}: ${detail}\n→ ${SETUP_HINT}`, {
        cause: err,
      });
    }
    await rename(tmp, BINARY);
    return BINARY;
  })();
  return buildPromise;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // The helper also exits on its own when its stdin closes or (Linux) its parent dies.
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

function apiKeyArg(apiKey: number | keyof typeof ApiKey): number {
  return typeof apiKey === 'number' ? apiKey : ApiKey[apiKey];
}

/** Starts a mock Kafka cluster in a child process. Call `stop()` when done. */
export async function startMockKafka(options: MockKafkaOptions = {}): Promise<MockKafka> {
  const brokers = options.brokers ?? 3;
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > 64)
    throw new Error(`mock-kafka: bad broker count ${brokers}`);
  const args = ['--brokers', String(brokers)];
  for (const t of options.topics ?? []) {
    if (!/^[A-Za-z0-9._-]+$/.test(t.name)) throw new Error(`mock-kafka: bad topic name ${JSON.stringify(t.name)}`);
    args.push('--topic', `${t.name}:${t.partitions}${t.replicationFactor ? `:${t.replicationFactor}` : ''}`);
  }

  const binary = await buildMockKafka();
  installExitHook();
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);

  let stderrTail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (options.verbose) process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk).slice(-8192);
  });
  child.stdin!.on('error', () => {
    // EPIPE after the helper died; the pending command is rejected via 'exit'
  });

  let exited = false;
  let exitInfo = '';
  const exitPromise = new Promise<void>((res) => {
    child.once('exit', (code, signal) => {
      exited = true;
      exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      live.delete(child);
      res();
    });
  });

  // One answer line per command, in order.
  const waiting: Array<{ resolve(line: string): void; reject(err: Error): void; cmd: string }> = [];
  let onBootstrap: ((line: string) => void) | undefined;
  // Do not keep the event loop alive just because a broker exists; only while a command is pending.
  const handles = [
    child.stdout as unknown as Socket,
    child.stderr as unknown as Socket,
    child.stdin as unknown as Socket,
  ];
  const refWhileBusy = (): void => {
    const busy = waiting.length > 0 || onBootstrap !== undefined;
    for (const h of handles) {
      if (busy) h.ref?.();
      else h.unref?.();
    }
    if (busy) child.ref();
    else child.unref();
  };

  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    if (onBootstrap) {
      onBootstrap(line);
      return;
    }
    const w = waiting.shift();
    if (w) w.resolve(line);
    refWhileBusy();
  });

  const failure = (what: string): Error =>
    new Error(
      `mock-kafka ${what} (${exitInfo || 'still running'})${stderrTail ? `; stderr:\n${stderrTail.trim()}` : ''}`,
    );

  const bootstrapLine = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(failure(`did not print BOOTSTRAP within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    onBootstrap = (line) => {
      if (!line.startsWith('BOOTSTRAP ')) return; // tolerate noise before the line
      clearTimeout(timer);
      onBootstrap = undefined;
      res(line);
    };
    refWhileBusy();
    child.once('error', (err) => {
      clearTimeout(timer);
      rej(new Error(`mock-kafka: could not start ${binary}: ${err.message}\n→ ${SETUP_HINT}`));
    });
    void exitPromise.then(() => {
      clearTimeout(timer);
      rej(failure('exited before printing BOOTSTRAP'));
    });
  });
  refWhileBusy();
  void exitPromise.then(() => {
    for (const w of waiting.splice(0)) w.reject(failure(`exited while running "${w.cmd}"`));
  });

  const bootstrap = bootstrapLine.slice('BOOTSTRAP '.length).trim().split(',').filter(Boolean);

  const command = (cmd: string): Promise<string> => {
    const text = cmd.trim();
    if (!text || text.startsWith('#') || /[\r\n]/.test(text)) {
      return Promise.reject(new Error(`mock-kafka: bad command ${JSON.stringify(cmd)}`));
    }
    if (exited) return Promise.reject(failure(`is not running; cannot run "${text}"`));
    return new Promise<string>((res, rej) => {
      waiting.push({
        cmd: text,
        resolve: (line) => {
          if (line === 'OK' || line.startsWith('OK ')) res(line.slice(3));
          else rej(new Error(`mock-kafka "${text}": ${line.replace(/^ERR /, '')}`));
        },
        reject: rej,
      });
      refWhileBusy();
      child.stdin!.write(`${text}\n`);
    });
  };
  const run = async (cmd: string): Promise<void> => {
    await command(cmd);
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exited) {
        child.stdin!.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exitPromise;
        clearTimeout(timer);
      }
      lines.close();
    })();
    return stopping;
  };

  return {
    bootstrap,
    command,
    createTopic: (name, partitions, replicationFactor) =>
      run(`topic ${name} ${partitions}${replicationFactor ? ` ${replicationFactor}` : ''}`),
    brokerDown: (id) => run(`down ${id}`),
    brokerUp: (id) => run(`up ${id}`),
    setLeader: (topic, partition, brokerId) => run(`leader ${topic} ${partition} ${brokerId}`),
    injectErrors: (apiKey, count, code) => run(`errors ${apiKeyArg(apiKey)} ${count} ${code}`),
    clearErrors: (apiKey) => run(`clear ${apiKeyArg(apiKey)}`),
    brokerErrors: (brokerId, apiKey, count, code, rttMs) =>
      run(`broker-errors ${brokerId} ${apiKeyArg(apiKey)} ${count} ${code}${rttMs === undefined ? '' : ` ${rttMs}`}`),
    setRtt: (brokerId, ms) => run(`rtt ${brokerId} ${ms}`),
    stop,
  };
}

/**
 * A kafkajs client with test-friendly settings: quiet logs, short connect timeout,
 * quick retries with enough attempts to ride out a broker restart.
 * `overrides` is shallow-merged over these defaults.
 */
export function kafkaClientFor(
  bootstrap: string[] | string,
  clientId = 'callcast-test',
  overrides: Partial<KafkaConfig> = {},
): Kafka {
  const brokers = typeof bootstrap === 'string' ? bootstrap.split(',').filter(Boolean) : bootstrap;
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 12 },
    ...overrides,
  });
}

/** The group's committed offsets on `topic`, summed over partitions (a partition with none counts 0). */
export async function committedTotal(bootstrap: string[], groupId: string, topic: string): Promise<number> {
  const admin = kafkaClientFor(bootstrap, 'offsets').admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (entry?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}
