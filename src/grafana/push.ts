// `callcast dashboards push`: creates or updates the data sources, the folder and every
// dashboard through Grafana's HTTP API. Idempotent by uid: a second push updates in place.
import { readdir, readFile } from 'node:fs/promises';
import { projectPath } from '../config/paths.js';
import type { AddDataSource, GrafanaClient } from './client.js';

/** The committed dashboards (dashboards/generated/*.json, made by `npm run dashboards:build`). */
export const GENERATED_DIR = projectPath('dashboards', 'generated');

export const CLICKHOUSE_DATASOURCE_UID = 'callcast-clickhouse';
export const PROMETHEUS_DATASOURCE_UID = 'callcast-prometheus';

export interface ClickHouseTarget {
  host: string;
  port: number;
  protocol: 'native' | 'http';
  secure: boolean;
  username: string;
  password?: string;
  database: string;
}

export interface PushPlan {
  clickhouse: ClickHouseTarget;
  /** Also create the Prometheus data source the pipeline dashboard's Kafka-lag panel reads. */
  prometheusUrl?: string;
  folder: { uid: string; title: string };
  dashboards: Record<string, unknown>[];
}

export interface PushResult {
  datasources: { uid: string; action: 'created' | 'updated' }[];
  folder: { uid: string; action: 'created' | 'exists' };
  dashboards: { uid: string; title: string; version: number; url: string }[];
}

export async function readGeneratedDashboards(dir = GENERATED_DIR): Promise<Record<string, unknown>[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no dashboards in ${dir}: run npm run dashboards:build`);
  return Promise.all(
    files.map(async (f) => JSON.parse(await readFile(`${dir}/${f}`, 'utf8')) as Record<string, unknown>),
  );
}

export function clickhouseDataSource(t: ClickHouseTarget): AddDataSource {
  return {
    uid: CLICKHOUSE_DATASOURCE_UID,
    name: 'Callcast ClickHouse',
    type: 'grafana-clickhouse-datasource',
    access: 'proxy',
    isDefault: true,
    jsonData: {
      host: t.host,
      port: t.port,
      protocol: t.protocol,
      secure: t.secure,
      username: t.username,
      defaultDatabase: t.database,
    },
    ...(t.password ? { secureJsonData: { password: t.password } } : {}),
  };
}

export function prometheusDataSource(url: string): AddDataSource {
  return {
    uid: PROMETHEUS_DATASOURCE_UID,
    name: 'Callcast Prometheus',
    type: 'prometheus',
    access: 'proxy',
    url,
    isDefault: false,
    jsonData: {},
  };
}

async function upsertDataSource(grafana: GrafanaClient, ds: AddDataSource): Promise<'created' | 'updated'> {
  const uid = ds.uid!;
  const existing = await grafana.getDataSource(uid);
  if (!existing) {
    await grafana.addDataSource(ds);
    return 'created';
  }
  await grafana.updateDataSource(uid, { ...ds, version: existing.version });
  return 'updated';
}

export async function pushDashboards(grafana: GrafanaClient, plan: PushPlan): Promise<PushResult> {
  const sources = [
    clickhouseDataSource(plan.clickhouse),
    ...(plan.prometheusUrl ? [prometheusDataSource(plan.prometheusUrl)] : []),
  ];
  const datasources: PushResult['datasources'] = [];
  for (const ds of sources) datasources.push({ uid: ds.uid!, action: await upsertDataSource(grafana, ds) });

  const folderAction = (await grafana.getFolder(plan.folder.uid)) ? 'exists' : 'created';
  if (folderAction === 'created') await grafana.createFolder(plan.folder.uid, plan.folder.title);

  const dashboards: PushResult['dashboards'] = [];
  for (const dashboard of plan.dashboards) {
    // Without an id Grafana matches by uid; overwrite replaces whatever version is there.
    const saved = await grafana.saveDashboard({
      dashboard: { ...dashboard, id: null },
      folderUid: plan.folder.uid,
      overwrite: true,
      message: 'callcast dashboards push',
    });
    dashboards.push({
      uid: saved.uid,
      title: String(dashboard.title ?? saved.uid),
      version: saved.version,
      url: `${grafana.url}${saved.url}`,
    });
  }
  return { datasources, folder: { uid: plan.folder.uid, action: folderAction }, dashboards };
}
