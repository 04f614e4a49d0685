// serve, migrate, ingest: the commands that run the service or load data into its store.
import type { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { checkOpenListen } from '../config/env.js';
import { snakeKeys } from './output.js';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`callcast: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function serve(): Promise<void> {
  const config = configOrExit();
  try {
    checkOpenListen(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`callcast: refusing to start: ${error.message}\n`);
    process.exit(2);
  }
  const [{ createLogger }, { startService }] = await Promise.all([import('../logger.js'), import('../api/server.js')]);
  const log = createLogger(config.logLevel);
  const service = await startService(config, log);
  const open = config.apiKeysFile === undefined;
  process.stdout.write(
    `Callcast is running at ${service.url} (store: ${service.store.kind}${config.store.kind === 'embedded' ? ` in ${config.store.dataDir}` : ''})\n` +
      `  wallboard ${service.url}/   API docs ${service.url}/docs   metrics ${service.url}/metrics\n` +
      (open ? '  No CALLCAST_API_KEYS_FILE: the API is open — fine on loopback for the demo, not on a network.\n' : ''),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: flushing and committing');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: (error as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

export function registerServiceCommands(program: Command): void {
  program
    .command('serve')
    .description('Run the service: API, wallboard, ingest (HTTP, and Kafka when KAFKA_BROKERS is set)')
    .action(serve);

  program
    .command('migrate')
    .description('Apply the SQL migrations under sql/ that have not run yet')
    .action(async () => {
      const config = configOrExit();
      const { migrateStore, openStore } = await import('../store/index.js');
      const store = await openStore(config.store);
      try {
        const result = await migrateStore(store);
        process.stdout.write(`${JSON.stringify(snakeKeys(result))}\n`);
      } finally {
        await store.close();
      }
    });

  program
    .command('ingest')
    .description('Bulk-load an NDJSON file of events (same validation, dead letters and dedup as Kafka)')
    .requiredOption('--file <path>', 'NDJSON file, one event per line')
    .option('--batch <rows>', 'rows per insert', (v) => Number.parseInt(v, 10))
    .action(async (options: { file: string; batch?: number }) => {
      const config = configOrExit();
      if (options.batch !== undefined && (!Number.isInteger(options.batch) || options.batch < 1)) {
        throw new Error('--batch must be a positive whole number');
      }
      const [{ SingleBar, Presets }, { Registry }, { createLogger }, { migrateStore, openStore }, ingest] =
        await Promise.all([
          import('cli-progress'),
          import('prom-client'),
          import('../logger.js'),
          import('../store/index.js'),
          Promise.all([
            import('../../pipelines/ingest/prometheus.js'),
            import('../../pipelines/ingest/writer.js'),
            import('../../pipelines/ingest/file.js'),
          ]),
        ]);
      const [{ createIngestMetrics }, { BatchWriter }, { ingestFile }] = ingest;
      const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
      const store = await openStore(config.store);
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: 'ingest [{bar}] {percentage}% | {value}/{total} MB' }, Presets.shades_classic)
        : undefined;
      try {
        await migrateStore(store);
        const writer = new BatchWriter(store, createIngestMetrics(new Registry()), log);
        const result = await ingestFile(options.file, writer, {
          batchRows: options.batch ?? config.ingest.batchRows,
          onProgress: (read, total) => {
            const mb = (n: number) => Math.round(n / 1e5) / 10;
            if (!bar) return;
            if (bar.getTotal() !== mb(total)) bar.start(mb(total), 0);
            bar.update(mb(read));
          },
        });
        bar?.stop();
        process.stdout.write(`${JSON.stringify(snakeKeys(result))}\n`);
        // Refused lines are kept in dead_letters, but the load did not do all it was asked: exit 1.
        if (result.deadLettered > 0) {
          process.stderr.write(
            `callcast ingest: ${result.deadLettered} of ${result.lines} lines refused (kept in dead_letters); first reasons:\n` +
              result.failures.map((f) => `  line ${f.line}: ${f.error}\n`).join(''),
          );
          process.exitCode = 1;
        }
      } finally {
        bar?.stop();
        await store.close();
      }
    });
}
