// serve, migrate, ingest: the commands that run the service or load data into its store.
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { createLogger } from '../logger.js';
import { migrateStore, openStore } from '../store/index.js';
import { startService } from '../api/server.js';
import { createIngestMetrics } from '../../pipelines/ingest/metrics.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { ingestFile } from '../../pipelines/ingest/file.js';
import { Registry } from 'prom-client';

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
      const store = await openStore(config.store);
      try {
        const result = await migrateStore(store);
        process.stdout.write(`${JSON.stringify(result)}\n`);
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
        process.stdout.write(`${JSON.stringify(result)}\n`);
      } finally {
        bar?.stop();
        await store.close();
      }
    });
}
