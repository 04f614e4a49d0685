// A real HTTP server on 127.0.0.1 that answers the Grafana API calls Callcast makes the way
// Grafana does per its OpenAPI spec (src/grafana/grafana-openapi.json): bearer-token auth,
// data sources and folders by uid (409 on a duplicate create), dashboards/db saving by uid
// with a version that counts up. It records every request for the test to inspect.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeGrafana {
  url: string;
  requests: Recorded[];
  datasources: Map<string, Record<string, unknown> & { id: number; version: number }>;
  folders: Map<string, { id: number; uid: string; title: string; version: number }>;
  dashboards: Map<string, { version: number; folderUid: string; dashboard: Record<string, unknown> }>;
  close(): Promise<void>;
}

const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export async function startFakeGrafana(token: string): Promise<FakeGrafana> {
  const requests: Recorded[] = [];
  const datasources: FakeGrafana['datasources'] = new Map();
  const folders: FakeGrafana['folders'] = new Map();
  const dashboards: FakeGrafana['dashboards'] = new Map();
  let nextId = 1;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : undefined;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    requests.push({ method, path, authorization: req.headers.authorization, body });
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { message: 'invalid API key' });

    let m: RegExpExecArray | null;
    if ((m = /^\/api\/datasources\/uid\/([^/]+)$/.exec(path))) {
      const ds = datasources.get(m[1]!);
      if (!ds) return send(res, 404, { message: 'Data source not found' });
      if (method === 'GET') return send(res, 200, ds);
      if (method === 'PUT') {
        const updated = { ...ds, ...body, id: ds.id, version: ds.version + 1 };
        datasources.set(m[1]!, updated);
        return send(res, 200, {
          datasource: updated,
          id: updated.id,
          message: 'Datasource updated',
          name: updated.name,
        });
      }
    }
    if (path === '/api/datasources' && method === 'POST') {
      if (datasources.has(body.uid)) return send(res, 409, { message: 'data source with the same uid already exists' });
      const created = { ...body, id: nextId++, version: 1 };
      datasources.set(body.uid, created);
      return send(res, 200, { datasource: created, id: created.id, message: 'Datasource added', name: created.name });
    }
    if ((m = /^\/api\/folders\/([^/]+)$/.exec(path)) && method === 'GET') {
      const f = folders.get(m[1]!);
      return f ? send(res, 200, f) : send(res, 404, { message: 'folder not found' });
    }
    if (path === '/api/folders' && method === 'POST') {
      if (folders.has(body.uid)) return send(res, 409, { message: 'a folder with the same uid already exists' });
      const f = { id: nextId++, uid: body.uid, title: body.title, version: 1 };
      folders.set(body.uid, f);
      return send(res, 200, f);
    }
    if (path === '/api/dashboards/db' && method === 'POST') {
      const uid = String(body.dashboard?.uid ?? '');
      if (!uid || !body.dashboard?.title) return send(res, 400, { message: 'Dashboard title cannot be empty' });
      if (body.folderUid && !folders.has(body.folderUid)) return send(res, 400, { message: 'folder not found' });
      const previous = dashboards.get(uid);
      if (previous && !body.overwrite)
        return send(res, 412, { message: 'A dashboard with the same uid already exists', status: 'name-exists' });
      const version = (previous?.version ?? 0) + 1;
      dashboards.set(uid, { version, folderUid: body.folderUid, dashboard: body.dashboard });
      const s = slug(body.dashboard.title);
      return send(res, 200, { id: nextId++, uid, url: `/d/${uid}/${s}`, status: 'success', version, slug: s });
    }
    return send(res, 404, { message: 'Not found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 500, { message: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    datasources,
    folders,
    dashboards,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
