// `callcast dashboards push`: the data sources and dashboards into a Grafana that is not
// provisioned from files, through its HTTP API. Token from GRAFANA_TOKEN.
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../config/index.js';
import type { ClickHouseTarget } from '../grafana/push.js';

function port(raw: string): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1 || v > 65_535) throw new InvalidArgumentError('expected a port number 1–65535.');
  return v;
}

function positiveMs(raw: string): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError('expected milliseconds ≥ 1.');
  return v;
}

interface PushFlags {
  grafanaUrl: string;
  clickhouseHost?: string;
  clickhousePort?: number;
  clickhouseProtocol: 'native' | 'http';
  clickhouseSecure: boolean;
  clickhouseUser?: string;
  clickhouseDatabase?: string;
  prometheusUrl?: string;
  folder: string;
  timeoutMs: number;
  dir?: string;
}

/** Where Grafana reaches ClickHouse: flags, else the service's own CLICKHOUSE_* settings. */
function clickhouseTarget(flags: PushFlags): ClickHouseTarget {
  const store = loadConfig().store;
  const url = store.url ? new URL(store.url) : undefined;
  const protocol = flags.clickhouseProtocol;
  return {
    host: flags.clickhouseHost ?? url?.hostname ?? 'localhost',
    port: flags.clickhousePort ?? (protocol === 'http' ? Number(url?.port || 8123) : 9000),
    protocol,
    secure: flags.clickhouseSecure,
    username: flags.clickhouseUser ?? store.user ?? 'default',
    password: store.password,
    database: flags.clickhouseDatabase ?? store.database,
  };
}

/** The Grafana token, or an error that says how to get one. */
export function grafanaTokenFrom(env: Record<string, string | undefined>): string {
  const token = env.GRAFANA_TOKEN?.trim();
  if (!token)
    throw new Error(
      'GRAFANA_TOKEN is not set: create a Grafana service account (Admin role) and export its token as GRAFANA_TOKEN',
    );
  return token;
}

export function registerDashboardsCommands(program: Command): void {
  const dashboards = program
    .command('dashboards')
    .description('Grafana dashboards (built from dashboards/*.ts into dashboards/generated/)');
  dashboards
    .command('push')
    .description(
      'Create or update the ClickHouse data source and every dashboard in a Grafana through its HTTP API (token from GRAFANA_TOKEN)',
    )
    .requiredOption('--grafana-url <url>', 'Grafana root URL, e.g. http://localhost:3000')
    .option(
      '--clickhouse-host <host>',
      'ClickHouse host as Grafana reaches it (default: host of CLICKHOUSE_URL, else localhost)',
    )
    .option('--clickhouse-port <port>', 'ClickHouse port (default 8123 for http, 9000 for native)', port)
    .option(
      '--clickhouse-protocol <protocol>',
      'native or http',
      (v: string) => {
        if (v !== 'native' && v !== 'http') throw new InvalidArgumentError('expected native or http.');
        return v;
      },
      'http',
    )
    .option('--clickhouse-secure', 'TLS to ClickHouse', false)
    .option(
      '--clickhouse-user <user>',
      'ClickHouse user (default CLICKHOUSE_USER or default); password from CLICKHOUSE_PASSWORD',
    )
    .option('--clickhouse-database <db>', 'database (default CLICKHOUSE_DATABASE or default)')
    .option('--prometheus-url <url>', 'also create the Prometheus data source (Kafka lag panel) at this URL')
    .option('--folder <uid>', 'folder uid for the dashboards', 'callcast')
    .option('--timeout-ms <ms>', 'deadline of each request to Grafana', positiveMs, 10_000)
    .option('--dir <path>', 'directory of dashboard JSON files (default dashboards/generated)')
    .action(async (flags: PushFlags) => {
      const token = grafanaTokenFrom(process.env);
      const [{ GrafanaError, grafanaClient }, { pushDashboards, readGeneratedDashboards }] = await Promise.all([
        import('../grafana/client.js'),
        import('../grafana/push.js'),
      ]);
      try {
        const grafana = grafanaClient({ url: flags.grafanaUrl, token, timeoutMs: flags.timeoutMs });
        const result = await pushDashboards(grafana, {
          clickhouse: clickhouseTarget(flags),
          prometheusUrl: flags.prometheusUrl,
          folder: { uid: flags.folder, title: 'Callcast' },
          dashboards: await readGeneratedDashboards(flags.dir),
        });
        for (const d of result.datasources) process.stdout.write(`data source ${d.uid}: ${d.action}\n`);
        process.stdout.write(`folder ${result.folder.uid}: ${result.folder.action}\n`);
        for (const d of result.dashboards)
          process.stdout.write(`dashboard ${d.uid} (version ${d.version}): ${d.url}\n`);
      } catch (error) {
        if (error instanceof GrafanaError) throw new Error(error.message, { cause: error });
        throw error;
      }
    });
}
