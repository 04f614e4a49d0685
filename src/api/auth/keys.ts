// API keys: the file named by CALLCAST_API_KEYS_FILE holds only SHA-256 hashes of keys, each
// with a name (shown in logs and settings history) and one role; optionally when it expires and
// whether (or from when) it is revoked. See docs/api.md.
//   { "keys": [ { "name": "wallboard-tv", "role": "viewer", "sha256": "<64 hex>",
//                 "expires_at": "2027-01-01T00:00:00Z", "revoked_at": "2026-12-01T00:00:00Z" } ] }
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

export const ROLES = ['ingest', 'viewer', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  name: string;
  role: Role;
}

/** A key of the file: its name and role, and the instants from which it no longer works. */
export interface KeyEntry extends ApiKey {
  expiresAtMs?: number;
  revokedAtMs?: number;
}

/** What a presented key is worth now. The reason never says more than the holder already knows. */
export type KeyVerdict =
  | { ok: true; key: ApiKey }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'expired' | 'revoked'; key: ApiKey; atMs: number };

export interface KeyRing {
  /** The entry whose hash matches, or undefined. */
  find(presented: string): KeyEntry | undefined;
  readonly size: number;
}

export function verdictOf(entry: KeyEntry | undefined, nowMs: number): KeyVerdict {
  if (!entry) return { ok: false, reason: 'unknown' };
  const key = { name: entry.name, role: entry.role };
  if (entry.revokedAtMs !== undefined && nowMs >= entry.revokedAtMs)
    return { ok: false, reason: 'revoked', key, atMs: entry.revokedAtMs };
  if (entry.expiresAtMs !== undefined && nowMs >= entry.expiresAtMs)
    return { ok: false, reason: 'expired', key, atMs: entry.expiresAtMs };
  return { ok: true, key };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random key and the line to put in the keys file for it. */
export function newKey(name: string, role: Role): { key: string; entry: { name: string; role: Role; sha256: string } } {
  const key = `cc_${randomBytes(24).toString('base64url')}`;
  return { key, entry: { name, role, sha256: hashKey(key) } };
}

export class KeyFileError extends Error {}

const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i;

function instant(value: unknown, at: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' && ISO_WITH_OFFSET.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new KeyFileError(`${at}: expected an ISO-8601 time with offset, like 2027-01-01T00:00:00Z`);
  return ms;
}

function entryOf(item: unknown, at: string): KeyEntry & { sha256: string } {
  const k = item as Record<string, unknown>;
  if (typeof k?.name !== 'string' || k.name === '') throw new KeyFileError(`${at}.name: expected a non-empty string`);
  if (!ROLES.includes(k.role as Role)) throw new KeyFileError(`${at}.role: expected one of ${ROLES.join(', ')}`);
  if (typeof k.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(k.sha256))
    throw new KeyFileError(`${at}.sha256: expected 64 hex digits`);
  if (k.revoked !== undefined && typeof k.revoked !== 'boolean')
    throw new KeyFileError(`${at}.revoked: expected true or false`);
  const expiresAtMs = instant(k.expires_at, `${at}.expires_at`);
  // `revoked: true` without a time revokes from the beginning of time.
  const revokedAtMs =
    instant(k.revoked_at, `${at}.revoked_at`) ?? (k.revoked === true ? Number.NEGATIVE_INFINITY : undefined);
  return {
    name: k.name,
    role: k.role as Role,
    sha256: k.sha256.toLowerCase(),
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
    ...(revokedAtMs !== undefined ? { revokedAtMs } : {}),
  };
}

export function parseKeyFile(text: string, where = 'API keys file'): KeyRing {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new KeyFileError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  const list = (doc as { keys?: unknown })?.keys;
  if (!Array.isArray(list)) throw new KeyFileError(`${where}: expected {"keys": [...]}`);
  const byHash = new Map<string, KeyEntry>();
  list.forEach((item: unknown, i) => {
    const at = `${where}: keys[${i}]`;
    const { sha256, ...entry } = entryOf(item, at);
    if (byHash.has(sha256)) throw new KeyFileError(`${at}: the same key hash appears twice`);
    byHash.set(sha256, entry);
  });
  return { find: (presented) => byHash.get(hashKey(presented)), size: byHash.size };
}

export function loadKeyFile(path: string): KeyRing {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeyFileError(`CALLCAST_API_KEYS_FILE: cannot read ${path}: ${(error as Error).message}`);
  }
  return parseKeyFile(text, path);
}

export interface WatchOptions {
  /** Where a reload that failed is reported (the previous keys stay in force). */
  onReloadError?: (error: Error) => void;
  onReload?: (size: number) => void;
  /** The file is looked at no more often than this. Default 1000 ms. */
  minIntervalMs?: number;
  /** Monotonic clock in ms, injectable for tests. */
  clock?: () => number;
}

/**
 * The keys file, re-read when it changes (checked at most once a second, on use), so that a
 * revocation takes effect without a restart. A file that no longer parses, or is gone, leaves
 * the previous keys in force and is reported. The first load throws like loadKeyFile.
 */
export function watchKeyFile(path: string, options: WatchOptions = {}): KeyRing {
  const minInterval = options.minIntervalMs ?? 1000;
  const clock = options.clock ?? (() => performance.now());
  const signature = () => {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.ctimeMs}:${s.size}:${s.ino}`;
  };
  let seen = signature();
  let ring = loadKeyFile(path);
  let checkedAt = clock();
  const refresh = () => {
    if (clock() - checkedAt < minInterval) return;
    checkedAt = clock();
    try {
      const now = signature();
      if (now === seen) return;
      seen = now;
      ring = loadKeyFile(path);
      options.onReload?.(ring.size);
    } catch (error) {
      options.onReloadError?.(error as Error);
    }
  };
  return {
    find(presented) {
      refresh();
      return ring.find(presented);
    },
    get size() {
      return ring.size;
    },
  };
}
