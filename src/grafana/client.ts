// A typed Grafana HTTP API client: request and response types generated from the kept OpenAPI
// extract (openapi.gen.ts, `npm run grafana:types`), calls through openapi-fetch. Every call has
// a deadline, and every failure becomes a GrafanaError that says what to do about it.
import createClient from 'openapi-fetch';
import type { components, paths } from './openapi.gen.js';

export type AddDataSource = components['schemas']['AddDataSourceCommand'];
export type UpdateDataSource = components['schemas']['UpdateDataSourceCommand'];
export type SaveDashboard = components['schemas']['SaveDashboardCommand'];
export type Folder = components['schemas']['Folder'];
type ErrorBody = components['schemas']['ErrorResponseBody'];

export class GrafanaError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GrafanaError';
  }
}

export interface GrafanaClientOptions {
  /** Grafana's root URL, e.g. http://grafana:3000 (the API is under /api). */
  url: string;
  /** A service account token (Admin role: data sources need it). */
  token: string;
  /** Deadline of each request, ms. */
  timeoutMs: number;
}

function explain(status: number, what: string, body: unknown, url: string): GrafanaError {
  const message = (body as ErrorBody | undefined)?.message ?? '';
  const detail = message ? `: ${message}` : '';
  if (status === 401)
    return new GrafanaError(
      `Grafana at ${url} rejected the token (401${detail}); set GRAFANA_TOKEN to a valid service account token`,
      status,
    );
  if (status === 403)
    return new GrafanaError(
      `the token may not ${what} (403${detail}); give its service account the Admin role`,
      status,
    );
  return new GrafanaError(`Grafana could not ${what} (${status}${detail})`, status);
}

export type GrafanaClient = ReturnType<typeof grafanaClient>;

export function grafanaClient(o: GrafanaClientOptions) {
  let base: URL;
  try {
    base = new URL(o.url);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new GrafanaError(`--grafana-url must be an http(s) URL such as http://localhost:3000, got "${o.url}"`);
  }
  const root = base.href.replace(/\/+$/, '');
  const api = createClient<paths>({ baseUrl: `${root}/api`, headers: { Authorization: `Bearer ${o.token}` } });

  /** Runs one call; a refused connection or a silent server becomes a clear error. */
  async function call<T extends { response: Response }>(
    what: string,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    try {
      return await run(AbortSignal.timeout(o.timeoutMs));
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new GrafanaError(`Grafana at ${root} did not answer within ${o.timeoutMs} ms (while trying to ${what})`);
      }
      throw new GrafanaError(`cannot reach Grafana at ${root} (${e.cause?.code ?? e.message}) while trying to ${what}`);
    }
  }

  return {
    url: root,
    /** The data source with this uid, or null when Grafana has none. */
    async getDataSource(uid: string) {
      const r = await call('read a data source', (signal) =>
        api.GET('/datasources/uid/{uid}', { params: { path: { uid } }, signal }),
      );
      if (r.response.status === 404) return null;
      if (!r.data) throw explain(r.response.status, 'read data sources', r.error, root);
      return r.data;
    },
    async addDataSource(body: AddDataSource) {
      const r = await call('create a data source', (signal) => api.POST('/datasources', { body, signal }));
      if (!r.data) throw explain(r.response.status, `create data source ${body.uid}`, r.error, root);
      return r.data;
    },
    async updateDataSource(uid: string, body: UpdateDataSource) {
      const r = await call('update a data source', (signal) =>
        api.PUT('/datasources/uid/{uid}', { params: { path: { uid } }, body, signal }),
      );
      if (!r.data) throw explain(r.response.status, `update data source ${uid}`, r.error, root);
      return r.data;
    },
    async getFolder(uid: string): Promise<Folder | null> {
      const r = await call('read a folder', (signal) =>
        api.GET('/folders/{folder_uid}', { params: { path: { folder_uid: uid } }, signal }),
      );
      if (r.response.status === 404) return null;
      if (!r.data) throw explain(r.response.status, 'read folders', r.error, root);
      return r.data;
    },
    async createFolder(uid: string, title: string): Promise<Folder> {
      const r = await call('create a folder', (signal) => api.POST('/folders', { body: { uid, title }, signal }));
      if (!r.data) throw explain(r.response.status, `create folder ${uid}`, r.error, root);
      return r.data;
    },
    async saveDashboard(body: SaveDashboard) {
      const r = await call('save a dashboard', (signal) => api.POST('/dashboards/db', { body, signal }));
      if (!r.data) throw explain(r.response.status, 'save a dashboard', r.error, root);
      return r.data;
    },
  };
}
