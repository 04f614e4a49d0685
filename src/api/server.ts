// The running service: store, migrations, ingest (Kafka and HTTP), the API, the simulator.
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config/index.js';
import { migrateStore, openStore, type Store } from '../store/index.js';
import { createIngestMetrics } from '../../pipelines/ingest/metrics.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { createKafkaIngestor, type KafkaIngestor } from '../../pipelines/ingest/kafka-consumer.js';
import { buildApp } from './app.js';
import { registerStoreQueueMetrics } from './store-queue-metrics.js';
import { startAlerts } from '../alerts/service.js';
import { watchKeyFile } from './auth/keys.js';
import { startDemoSimulation, type DemoSimulation } from './demo.js';
import { runnerFor } from '../../forecasts/job/runner.js';
import { startForecastScheduler, type ForecastScheduler } from '../../forecasts/job/scheduler.js';
import { startReportScheduler, type ReportScheduler } from '../reports/schedule.js';

export interface RunningService {
  url: string;
  store: Store;
  stop(): Promise<void>;
}

async function historyIsEmpty(store: Store): Promise<boolean> {
  const rows = await (
    await store.client.query({ query: 'SELECT count() AS n FROM contact_events', format: 'JSONEachRow' })
  ).json<{ n: string }>();
  return Number(rows[0]?.n ?? 0) === 0;
}

export async function startService(config: Config, log: Logger): Promise<RunningService> {
  const store = await openStore(config.store);
  const migrated = await migrateStore(store);
  if (migrated.applied.length > 0) log.info({ applied: migrated.applied }, 'migrations applied');

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const ingestMetrics = createIngestMetrics(registry);
  if (store.queue) registerStoreQueueMetrics(registry, store.queue);
  const writer = new BatchWriter(store, ingestMetrics, log);

  let kafka: KafkaIngestor | undefined;
  if (config.kafka) {
    kafka = createKafkaIngestor(config.kafka, config.ingest, writer, ingestMetrics, log);
    await kafka.start();
  }

  // Alerts: evaluated every period over the store, pushed to the wallboard and to webhooks.
  const alerts =
    config.alerts?.enabled === false
      ? undefined
      : startAlerts(store.client, config.alerts, registry, log.child({ job: 'alerts' }));

  // Re-read on change (revocations apply without a restart); a broken edit keeps the previous keys.
  const apiKeys = config.apiKeysFile
    ? watchKeyFile(config.apiKeysFile, {
        onReload: (size) => log.info({ keys: size }, 'API keys file reloaded'),
        onReloadError: (error) =>
          log.error({ err: error }, 'API keys file not reloaded; the previous keys stay in force'),
      })
    : undefined;
  const app = await buildApp({
    store,
    writer,
    ingestMetrics,
    registry,
    logger: log,
    kafkaHealthy: kafka?.healthy,
    apiKeys,
    alerts,
  });
  const url = await app.listen({ port: config.port, host: config.host });

  // The demo runs by default only on the embedded store holding no history; `on` forces the
  // live stream (history is seeded only into an empty store, never on top of real data).
  let simulation: DemoSimulation | undefined;
  const empty = config.simulate !== 'off' && (await historyIsEmpty(store));
  const simulate = config.simulate === 'on' || (config.simulate === 'auto' && store.kind === 'embedded' && empty);
  if (simulate) simulation = startDemoSimulation(writer, log, { seedHistory: empty });

  // Nightly forecast run (CALLCAST_FORECAST_SCHEDULE); the same runner as POST /v1/forecasts/run.
  let forecasting: ForecastScheduler | undefined;
  const at = config.forecastSchedule ?? { hour: 2, minute: 0 };
  if (at !== 'off') {
    forecasting = startForecastScheduler(runnerFor(store.client), at, log.child({ job: 'forecast' }));
    log.info({ next: new Date(forecasting.next()).toISOString() }, 'forecast runs scheduled daily');
  }

  // Weekly VOC report (CALLCAST_REPORT_SCHEDULE): the week just ended, all queues, stored.
  let reporting: ReportScheduler | undefined;
  const weekly = config.reportSchedule ?? { weekday: 0, hour: 6, minute: 0 };
  if (weekly !== 'off') {
    reporting = startReportScheduler(store.client, weekly, log.child({ job: 'voc-report' }));
    log.info({ next: new Date(reporting.next()).toISOString() }, 'VOC reports scheduled weekly');
  }

  return {
    url,
    store,
    async stop() {
      // Each step is timed: a slow stop names the step that held it.
      const step = async (name: string, work: () => Promise<void> | undefined) => {
        const started = performance.now();
        await work();
        log.info({ step: name, ms: Math.round(performance.now() - started) }, 'stopped');
      };
      await step('alerts', () => alerts?.stop());
      await step('report schedule', () => reporting?.stop());
      await step('forecast schedule', () => forecasting?.stop());
      await step('simulator', () => simulation?.stop());
      await step('api', () => app.close());
      await step('kafka', () => kafka?.stop());
      await step('store', () => store.close());
    },
  };
}
