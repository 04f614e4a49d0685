// Which roles may call what. Outside /v1 (health, metrics, docs, the wallboard page) is open.
import type { Role } from './keys.js';

export type Access = { open: true } | { open: false; roles: readonly Role[]; what: string };

const READ: readonly Role[] = ['viewer', 'planner', 'admin'];
const PLAN: readonly Role[] = ['planner', 'admin'];

export function accessFor(method: string, path: string): Access {
  if (!path.startsWith('/v1/') && path !== '/v1') return { open: true };
  if (method === 'POST' && path === '/v1/events')
    return { open: false, roles: ['ingest', 'admin'], what: 'ingest events' };
  const planning = /^\/v1\/(forecasts?|staffing|schedules?)(\/|$)/.test(path);
  if (method === 'GET' || method === 'HEAD') {
    return planning
      ? { open: false, roles: PLAN, what: 'read forecasts and staffing' }
      : { open: false, roles: READ, what: 'read metrics' };
  }
  if (planning) return { open: false, roles: PLAN, what: 'run forecasts and staffing' };
  return { open: false, roles: ['admin'], what: 'change settings' };
}
