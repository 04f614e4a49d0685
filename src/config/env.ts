// Configuration from the environment, read once at start-up. Names are a contract:
// deployments and tools rely on them. A wrong value stops start-up naming the variable.

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface StoreConfig {
  /** Embedded chDB at dataDir, or a ClickHouse server. */
  kind: 'embedded' | 'server';
  dataDir: string;
  url?: string;
  user?: string;
  password?: string;
  database: string;
  /** CLICKHOUSE_CLUSTER: migrations run ON CLUSTER with Replicated local + Distributed tables (server only). */
  cluster?: string;
  /** CALLCAST_STORE_WRITE_SHARE (embedded only): percent of the engine's time inserts keep while queries also wait. */
  writeSharePercent?: number;
}

export interface KafkaConfig {
  brokers: string[];
  topics: string[];
  groupId: string;
}

export interface IngestConfig {
  /** Flush a batch at this many rows... */
  batchRows: number;
  /** ...or when its oldest row has waited this long. */
  flushMs: number;
}

export interface Config {
  port: number;
  host: string;
  store: StoreConfig;
  kafka?: KafkaConfig;
  simulate: 'on' | 'off' | 'auto';
  apiKeysFile?: string;
  logLevel: LogLevel;
  ingest: IngestConfig;
  /** Daily forecast run at this UTC time ("HH:MM"), or off. CALLCAST_FORECAST_SCHEDULE, default 02:00. */
  forecastSchedule?: { hour: number; minute: number } | 'off';
  /** Weekly VOC report of the week just ended, at this UTC weekday and time, or off. CALLCAST_REPORT_SCHEDULE, default MON 06:00. */
  reportSchedule?: WeeklyTime | 'off';
  /** The alert evaluator (CALLCAST_ALERTS, CALLCAST_ALERT_PERIOD_S, CALLCAST_ALERT_WEBHOOKS, CALLCAST_ALERT_WEBHOOK_SECRET). */
  alerts?: AlertsConfig;
  /** CALLCAST_ROLES: what this process runs (default all three); see ROLES. */
  roles?: ReadonlySet<Role>;
  /** CALLCAST_ROLLUP_INTERVAL_S: how often the jobs holder re-rolls settled half-hours (default 60 s; 0 = never). */
  rollupIntervalMs?: number;
  /** CALLCAST_AGENT_SILENCE_S: an agent not heard from for longer shows as "unknown" (default 15 min). */
  agentSilenceMs?: number;
}

/**
 * api: the HTTP API, wallboard and HTTP ingest (without it, only /healthz, /readyz and /metrics
 * answer); ingest: the Kafka consumer and the demo simulator; jobs: the alert evaluator, the
 * nightly forecast and the weekly report, run by one process of the cluster at a time (a lease
 * in the store, src/store/lease.ts).
 */
export const ROLES = ['api', 'ingest', 'jobs'] as const;
export type Role = (typeof ROLES)[number];

function rolesConfig(env: Env): ReadonlySet<Role> {
  const raw = text(env, 'CALLCAST_ROLES');
  if (raw === undefined) return new Set(ROLES);
  const names = raw.split(',').map((r) => r.trim().toLowerCase());
  const wrong = names.find((r) => !(ROLES as readonly string[]).includes(r));
  if (wrong !== undefined || names.length === 0)
    throw new ConfigError('CALLCAST_ROLES', `expected a comma-separated list of ${ROLES.join(', ')}, got "${raw}"`);
  return new Set(names as Role[]);
}

export interface AlertsConfig {
  enabled: boolean;
  periodMs: number;
  webhooks: string[];
  webhookSecret?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

// Ingest that falls behind makes every figure stale, so inserts get the larger share; queries
// still go first whenever inserts are above it (src/store/engine-queue.ts, docs/reliability.md).
const DEFAULT_WRITE_SHARE_PERCENT = 60;

function storeConfig(env: Env): StoreConfig {
  const url = text(env, 'CLICKHOUSE_URL');
  const database = text(env, 'CLICKHOUSE_DATABASE') ?? 'default';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    throw new ConfigError('CLICKHOUSE_DATABASE', `"${database}" is not a valid database name`);
  }
  const dataDir = text(env, 'CALLCAST_DATA_DIR') ?? './data';
  const cluster = text(env, 'CLICKHOUSE_CLUSTER');
  if (cluster !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(cluster)) {
    throw new ConfigError('CLICKHOUSE_CLUSTER', `"${cluster}" is not a valid cluster name`);
  }
  if (url === undefined) {
    if (cluster !== undefined)
      throw new ConfigError('CLICKHOUSE_CLUSTER', 'needs CLICKHOUSE_URL: the embedded engine is one machine');
    return {
      kind: 'embedded',
      dataDir,
      database,
      writeSharePercent: integer(env, 'CALLCAST_STORE_WRITE_SHARE', DEFAULT_WRITE_SHARE_PERCENT, 10, 90),
    };
  }
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ConfigError('CLICKHOUSE_URL', `expected an http(s) URL such as http://localhost:8123, got "${url}"`);
  }
  return {
    kind: 'server',
    dataDir,
    url,
    user: text(env, 'CLICKHOUSE_USER'),
    password: env.CLICKHOUSE_PASSWORD,
    database,
    ...(cluster !== undefined ? { cluster } : {}),
  };
}

function kafkaConfig(env: Env): KafkaConfig | undefined {
  const raw = text(env, 'KAFKA_BROKERS');
  if (raw === undefined) return undefined;
  const brokers = raw
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  for (const broker of brokers) {
    if (!/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(broker)) {
      throw new ConfigError('KAFKA_BROKERS', `expected host:port[,host:port…], got "${broker}"`);
    }
  }
  if (brokers.length === 0) throw new ConfigError('KAFKA_BROKERS', 'no broker given');
  const topics = (text(env, 'KAFKA_TOPIC') ?? 'callcast.events')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const topic of topics) {
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
      throw new ConfigError('KAFKA_TOPIC', `"${topic}" is not a valid topic name`);
  }
  return { brokers, topics, groupId: text(env, 'KAFKA_GROUP_ID') ?? 'callcast-ingest' };
}

function dailyTime(env: Env, name: string, fallback: string): { hour: number; minute: number } | 'off' {
  const raw = text(env, name) ?? fallback;
  if (raw.toLowerCase() === 'off') return 'off';
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(raw);
  if (!m) throw new ConfigError(name, `expected HH:MM (UTC, 00:00–23:59) or off, got "${raw}"`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** Weekday 0 = Monday … 6 = Sunday, hour and minute (UTC). */
export interface WeeklyTime {
  weekday: number;
  hour: number;
  minute: number;
}

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function weeklyTime(env: Env, name: string, fallback: string): WeeklyTime | 'off' {
  const raw = text(env, name) ?? fallback;
  if (raw.toLowerCase() === 'off') return 'off';
  const m = /^([A-Za-z]{3})\s+([01]\d|2[0-3]):([0-5]\d)$/.exec(raw);
  const weekday = m ? WEEKDAYS.indexOf(m[1]!.toUpperCase()) : -1;
  if (!m || weekday < 0)
    throw new ConfigError(name, `expected a weekday and UTC time like MON 06:00, or off, got "${raw}"`);
  return { weekday, hour: Number(m[2]), minute: Number(m[3]) };
}

function alertsConfig(env: Env): AlertsConfig {
  const webhooks = (text(env, 'CALLCAST_ALERT_WEBHOOKS') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const url of webhooks) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    // Credentials in a URL end up in logs and proxies; the HMAC signature authenticates instead.
    if (parsed && (parsed.username !== '' || parsed.password !== ''))
      throw new ConfigError(
        'CALLCAST_ALERT_WEBHOOKS',
        `a webhook URL must not carry credentials (user:password@); ${parsed.protocol}//${parsed.host}${parsed.pathname} is signed with CALLCAST_ALERT_WEBHOOK_SECRET instead`,
      );
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol))
      throw new ConfigError(
        'CALLCAST_ALERT_WEBHOOKS',
        `expected comma-separated http(s) URLs, got "${url.replace(/\/\/[^/@]*@/, '//[redacted]@')}"`,
      );
  }
  const secret = text(env, 'CALLCAST_ALERT_WEBHOOK_SECRET');
  if (webhooks.length > 0 && secret === undefined)
    throw new ConfigError(
      'CALLCAST_ALERT_WEBHOOK_SECRET',
      'required with CALLCAST_ALERT_WEBHOOKS (webhooks are HMAC-signed)',
    );
  return {
    enabled: oneOf(env, 'CALLCAST_ALERTS', ['on', 'off'] as const, 'on') === 'on',
    periodMs: integer(env, 'CALLCAST_ALERT_PERIOD_S', 60, 5, 3_600) * 1000,
    webhooks,
    webhookSecret: secret,
  };
}

export const DEFAULT_ROLLUP_INTERVAL_MS = 60_000;
export const DEFAULT_AGENT_SILENCE_MS = 15 * 60_000;

/** CALLCAST_ROLLUP_INTERVAL_S in ms: 0 turns the re-roll off, at most a day. */
export function rollupIntervalMs(env: Env = process.env): number {
  return integer(env, 'CALLCAST_ROLLUP_INTERVAL_S', DEFAULT_ROLLUP_INTERVAL_MS / 1000, 0, 86_400) * 1000;
}

/** CALLCAST_AGENT_SILENCE_S in ms: from 10 s to a week. */
export function agentSilenceMs(env: Env = process.env): number {
  return integer(env, 'CALLCAST_AGENT_SILENCE_S', DEFAULT_AGENT_SILENCE_MS / 1000, 10, 7 * 86_400) * 1000;
}

/** HOST values that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * `serve` on a host other machines can reach, without API keys, would leave the API open
 * (settings writable anonymously): refused unless CALLCAST_ALLOW_OPEN=1 says it is meant.
 */
export function checkOpenListen(config: Pick<Config, 'host' | 'apiKeysFile'>, env: Env = process.env): void {
  if (config.apiKeysFile !== undefined || isLoopbackHost(config.host)) return;
  const allow = text(env, 'CALLCAST_ALLOW_OPEN') ?? text(env, 'CALLCAST_ALLOW_OPEN_API');
  if (allow === '1' || allow?.toLowerCase() === 'true') return;
  throw new ConfigError(
    'HOST',
    `${config.host} is reachable from other machines and CALLCAST_API_KEYS_FILE is not set, so anyone could read ` +
      'and change everything; set CALLCAST_API_KEYS_FILE (docs/api.md, Authentication), listen on 127.0.0.1, ' +
      'or set CALLCAST_ALLOW_OPEN=1 to run an open API on purpose',
  );
}

/** Reads and checks every setting; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    host: text(env, 'HOST') ?? '127.0.0.1',
    store: storeConfig(env),
    kafka: kafkaConfig(env),
    simulate: oneOf(env, 'CALLCAST_SIMULATE', ['on', 'off', 'auto'] as const, 'auto'),
    apiKeysFile: text(env, 'CALLCAST_API_KEYS_FILE'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    ingest: {
      // 25,000: at 20,000 events/s with 50 API clients, 14.4k/s handled against 10.9-11.2k/s with
      // 10,000 (each insert has a fixed cost); docs/reliability.md, Load.
      batchRows: integer(env, 'CALLCAST_BATCH_ROWS', 25_000, 1, 1_000_000),
      flushMs: integer(env, 'CALLCAST_FLUSH_MS', 500, 10, 60_000),
    },
    forecastSchedule: dailyTime(env, 'CALLCAST_FORECAST_SCHEDULE', '02:00'),
    alerts: alertsConfig(env),
    reportSchedule: weeklyTime(env, 'CALLCAST_REPORT_SCHEDULE', 'MON 06:00'),
    roles: rolesConfig(env),
    rollupIntervalMs: rollupIntervalMs(env),
    agentSilenceMs: agentSilenceMs(env),
  };
}
