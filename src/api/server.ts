// The running service: store, migrations, ingest (Kafka and HTTP), the API, the simulator, and
// the jobs (alerts, nightly forecast, weekly report). CALLCAST_ROLES picks which of api, ingest
// and jobs this process runs; the jobs run in one process of the cluster at a time, the one that
// holds the jobs lease in the store (src/store/lease.ts).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config/index.js';
import { DEFAULT_ROLLUP_INTERVAL_MS, ROLES } from '../config/env.js';
import { JobLease, Leader } from '../store/lease.js';
import { migrateStore, openStore, type Store } from '../store/index.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { createKafkaIngestor, type KafkaIngestor } from '../../pipelines/ingest/kafka-consumer.js';
import { buildApp } from './app.js';
import { registerStoreQueueMetrics } from './store-queue-prometheus.js';
import { alertStarter } from '../alerts/service.js';
import { SharedAlertFeed } from '../alerts/shared-feed.js';
import type { AlertEvaluator } from '../alerts/evaluator.js';
import { healthRoutes } from './routes/health.js';
import { watchKeyFile } from './auth/keys.js';
import { startDemoIfWanted, type DemoOptions } from './demo.js';
import { runnerFor, type ForecastRunner } from '../../forecasts/job/runner.js';
import { startForecastScheduler, type ForecastScheduler } from '../../forecasts/job/scheduler.js';
import { startReportScheduler, type ReportScheduler } from '../reports/weekly-timer.js';
import { startRollupLoop, type RollupLoop } from '../metrics/rollup.js';

export interface RunningService {
  url: string;
  store: Store;
  /** The jobs lease of this process (absent without the jobs role). */
  leader?: Leader;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** A store already open (tests: several services on one embedded store); the service does not close it. */
  store?: Store;
  /** This process in the jobs lease; default host:pid:random. */
  holder?: string;
  /** How long the jobs lease holds without renewal. Default 30 s; renewed every third of it. */
  leaseTtlMs?: number;
  /** The demo's history size (tests: a small one). */
  demo?: DemoOptions;
}

async function storeCount(client: Store['client'], query: string): Promise<number> {
  const [row] = await (await client.query({ query, format: 'JSONEachRow' })).json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

/**
 * The first forecast: a store with contact history and no successful forecast run gets one at
 * start, so the wallboard's forecast line is not empty until the nightly run. In the background;
 * `ready` is awaited first (the demo's history fully loaded), `current` says the jobs are still ours.
 */
async function firstForecastIfNone(
  client: Store['client'],
  runner: ForecastRunner,
  ready: Promise<void>,
  current: () => boolean,
  log: Logger,
): Promise<void> {
  await ready;
  if (!current()) return;
  const history = await storeCount(client, "SELECT count() AS n FROM contact_events WHERE type = 'contact.queued'");
  const runs = await storeCount(client, "SELECT count() AS n FROM forecast_runs WHERE status = 'ok'");
  if (history === 0 || runs > 0 || !current()) return;
  const { state, done } = runner.start({ asOf: Date.now() });
  log.info({ run_id: state.runId }, 'first forecast run started (the store has history and no forecast yet)');
  await done;
  if (state.status === 'failed') log.warn({ run_id: state.runId, err: state.error }, 'first forecast run failed');
  else log.info({ run_id: state.runId, seconds: state.result?.seconds }, 'first forecast run finished');
}

async function healthOnlyApp(deps: Parameters<typeof buildApp>[0]) {
  const app = Fastify({ loggerInstance: deps.logger });
  await app.register(healthRoutes, deps);
  return app;
}

export async function startService(config: Config, log: Logger, options: ServiceOptions = {}): Promise<RunningService> {
  const roles = config.roles ?? new Set(ROLES);
  log.info({ roles: [...roles] }, 'roles');
  const store = options.store ?? (await openStore(config.store));
  const migrated = await migrateStore(store);
  if (migrated.applied.length > 0) log.info({ applied: migrated.applied }, 'migrations applied');

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const ingestMetrics = createIngestMetrics(registry);
  if (store.queue) registerStoreQueueMetrics(registry, store.queue);
  const writer = new BatchWriter(store, ingestMetrics, log);

  let kafka: KafkaIngestor | undefined;
  if (config.kafka && roles.has('ingest')) {
    kafka = createKafkaIngestor(config.kafka, config.ingest, writer, ingestMetrics, log);
    await kafka.start();
  }

  // Alerts: evaluated every period over the store (by the lease holder), pushed to the wallboard
  // and to webhooks. Every API process shows them: the holder's evaluator, or the store's rows.
  const alertsOn = config.alerts?.enabled !== false;
  const alerts =
    alertsOn && roles.has('api')
      ? new SharedAlertFeed(store.client, { pollMs: config.alerts?.periodMs ?? 60_000, logger: log })
      : undefined;
  alerts?.start();

  // Re-read on change (revocations apply without a restart); a broken edit keeps the previous keys.
  const apiKeys = config.apiKeysFile
    ? watchKeyFile(config.apiKeysFile, {
        onReload: (size) => log.info({ keys: size }, 'API keys file reloaded'),
        onReloadError: (error) =>
          log.error({ err: error }, 'API keys file not reloaded; the previous keys stay in force'),
      })
    : undefined;
  const deps = {
    store,
    writer,
    ingestMetrics,
    registry,
    logger: log,
    kafkaHealthy: kafka?.healthy,
    apiKeys,
    alerts,
    agentSilenceMs: config.agentSilenceMs,
  };
  // Without the api role: only /healthz, /readyz and /metrics, for probes and Prometheus.
  const app = roles.has('api') ? await buildApp(deps) : await healthOnlyApp(deps);
  const url = await app.listen({ port: config.port, host: config.host });

  // The demo runs by default only on the embedded store holding no history or one the demo
  // filled (it resumes live); `on` forces the live stream (history is seeded only into an empty
  // store, never on top of real data). src/api/demo.ts.
  const simulation = roles.has('ingest')
    ? await startDemoIfWanted(config.simulate, store, writer, log, options.demo)
    : undefined;

  // The jobs, started while this process holds the lease and stopped when it goes.
  let evaluator: AlertEvaluator | undefined;
  let forecasting: ForecastScheduler | undefined;
  let reporting: ReportScheduler | undefined;
  let rollup: RollupLoop | undefined;
  const startEvaluator = alertsOn
    ? alertStarter(store.client, config.alerts, registry, log.child({ job: 'alerts' }))
    : undefined;
  let jobGeneration = 0;
  const startJobs = () => {
    // The metrics rollup of settled half-hours (docs/metrics.md), re-rolled every minute.
    rollup = startRollupLoop(
      store.client,
      log.child({ job: 'metrics-rollup' }),
      config.rollupIntervalMs ?? DEFAULT_ROLLUP_INTERVAL_MS,
    );
    // Alerts judge live data: while the demo seeds history into an empty store, the windows they
    // read are half-loaded, so evaluation starts once the demo is live.
    const generation = ++jobGeneration;
    const startAlerts = () => {
      if (generation !== jobGeneration || evaluator) return;
      evaluator = startEvaluator?.();
      if (evaluator) alerts?.attach(evaluator);
    };
    if (simulation?.mode === 'seeded') void simulation.caughtUp.then(startAlerts);
    else startAlerts();
    // Nightly forecast run (CALLCAST_FORECAST_SCHEDULE); the same runner as POST /v1/forecasts/run.
    const at = config.forecastSchedule ?? { hour: 2, minute: 0 };
    if (at !== 'off') {
      const forecastLog = log.child({ job: 'forecast' });
      forecasting = startForecastScheduler(runnerFor(store.client), at, forecastLog);
      log.info({ next: new Date(forecasting.next()).toISOString() }, 'forecast runs scheduled daily');
      // A demo store forecasts once its history is all loaded; stopJobs awaits the runner.
      const ready = simulation?.mode === 'seeded' ? simulation.caughtUp : Promise.resolve();
      void firstForecastIfNone(
        store.client,
        runnerFor(store.client),
        ready,
        () => generation === jobGeneration,
        forecastLog,
      ).catch((error: unknown) =>
        forecastLog.warn({ err: (error as Error).message }, 'first forecast run not started'),
      );
    }
    // Weekly VOC report (CALLCAST_REPORT_SCHEDULE): the week just ended, all queues, stored.
    const weekly = config.reportSchedule ?? { weekday: 0, hour: 6, minute: 0 };
    if (weekly !== 'off') {
      reporting = startReportScheduler(store.client, weekly, log.child({ job: 'voc-report' }));
      log.info({ next: new Date(reporting.next()).toISOString() }, 'VOC reports scheduled weekly');
    }
  };
  const stopJobs = async () => {
    jobGeneration++;
    alerts?.detach();
    await Promise.all([evaluator?.stop(), reporting?.stop(), forecasting?.stop(), rollup?.stop()]);
    rollup = undefined;
    evaluator = undefined;
    reporting = undefined;
    forecasting = undefined;
  };
  let leader: Leader | undefined;
  if (roles.has('jobs')) {
    const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    const lease = new JobLease(store.client, { job: 'jobs', holder, ttlMs: options.leaseTtlMs ?? 30_000 });
    leader = new Leader(lease, { onAcquire: startJobs, onLose: stopJobs, logger: log.child({ job: 'lease' }) });
    await leader.check();
    leader.start();
  }

  return {
    url,
    store,
    leader,
    async stop() {
      // Each step is timed: a slow stop names the step that held it.
      const step = async (name: string, work: () => Promise<void> | undefined) => {
        const started = performance.now();
        await work();
        log.info({ step: name, ms: Math.round(performance.now() - started) }, 'stopped');
      };
      // The simulator is told to stop at once (a history still loading would otherwise go on
      // while the jobs wind down); its step waits for it in its place.
      const simulatorStopped = simulation?.stop();
      await step('jobs', () => leader?.stop());
      await step('alerts feed', () => alerts?.stop());
      await step('simulator', () => simulatorStopped);
      await step('api', () => app.close());
      await step('kafka', () => kafka?.stop());
      if (!options.store) await step('store', () => store.close());
    },
  };
}
