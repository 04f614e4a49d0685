// API keys: the file named by CALLCAST_API_KEYS_FILE holds only SHA-256 hashes of keys, each
// with a name (shown in logs and settings history) and one role. See docs/api.md.
//   { "keys": [ { "name": "wallboard-tv", "role": "viewer", "sha256": "<64 hex>" } ] }
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const ROLES = ['ingest', 'viewer', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  name: string;
  role: Role;
}

export interface KeyRing {
  /** The key whose hash matches, or undefined. */
  find(presented: string): ApiKey | undefined;
  readonly size: number;
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

export function parseKeyFile(text: string, where = 'API keys file'): KeyRing {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new KeyFileError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  const list = (doc as { keys?: unknown })?.keys;
  if (!Array.isArray(list)) throw new KeyFileError(`${where}: expected {"keys": [...]}`);
  const byHash = new Map<string, ApiKey>();
  list.forEach((item: unknown, i) => {
    const k = item as Record<string, unknown>;
    const at = `${where}: keys[${i}]`;
    if (typeof k?.name !== 'string' || k.name === '') throw new KeyFileError(`${at}.name: expected a non-empty string`);
    if (!ROLES.includes(k.role as Role)) throw new KeyFileError(`${at}.role: expected one of ${ROLES.join(', ')}`);
    if (typeof k.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(k.sha256)) throw new KeyFileError(`${at}.sha256: expected 64 hex digits`);
    if (byHash.has(k.sha256.toLowerCase())) throw new KeyFileError(`${at}: the same key hash appears twice`);
    byHash.set(k.sha256.toLowerCase(), { name: k.name, role: k.role as Role });
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
