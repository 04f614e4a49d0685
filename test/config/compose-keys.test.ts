// docker-compose.yml and the Dockerfile start `serve` on 0.0.0.0 (no Docker here): the settings
// they give the service, with the keys file compose mounts, pass the start-up security check;
// without the mount the same settings are refused. The keys documented in docs/deploy.md are the
// example file's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOpenListen, ConfigError, loadConfig } from '../../src/config/env.js';
import { hashKey, loadKeyFile, verdictOf } from '../../src/api/auth/keys.js';
import { ROOT } from '../support/cli-run.js';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** `ENV A=1 \ B=2` of the Dockerfile's last stage (the image that runs). */
function dockerfileEnv(): Record<string, string> {
  const stages = read('Dockerfile').split(/^FROM /m);
  const last = stages[stages.length - 1]!.replace(/\\\n/g, ' ');
  const env: Record<string, string> = {};
  for (const line of last.split('\n').filter((l) => l.startsWith('ENV ')))
    for (const [, k, v] of line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[k!] = v!;
  return env;
}

/** The lines of one service's block in docker-compose.yml (two-space indented YAML). */
function serviceBlock(name: string): string[] {
  const lines = read('docker-compose.yml').split('\n');
  const start = lines.indexOf(`  ${name}:`);
  expect(start, `service ${name}`).toBeGreaterThan(0);
  const end = lines.findIndex((l, i) => i > start && /^ {2}\S/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** A `key:` map or `key:` list of a service block, with `${VAR:-default}` taken at its default. */
function section(block: string[], key: string): string[] {
  const start = block.indexOf(`    ${key}:`);
  if (start < 0) return [];
  const end = block.findIndex((l, i) => i > start && /^ {4}\S/.test(l));
  return block
    .slice(start + 1, end < 0 ? undefined : end)
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean)
    .map((l) => l.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1').replace(/\$\{[A-Z_]+:\?[^}]*\}/g, 'set-by-operator'));
}

function composeService() {
  const block = serviceBlock('callcast');
  const env = Object.fromEntries(
    section(block, 'environment').map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
    }),
  );
  const mounts = section(block, 'volumes').map((l) => {
    const [host, container] = l.replace(/^- /, '').split(':');
    return { host: host!, container: container! };
  });
  const ports = section(block, 'ports').map((l) => l.replace(/^- /, '').replace(/"/g, ''));
  return { env, mounts, ports };
}

describe('docker compose: the service with its keys file', () => {
  it('passes the open-listen check with the mounted keys file, and is refused without it', () => {
    const { env, mounts } = composeService();
    const image = dockerfileEnv();
    expect(image.HOST).toBe('0.0.0.0');
    const settings = { ...image, ...env };
    expect(settings.CALLCAST_API_KEYS_FILE).toBe('/etc/callcast/api-keys.json');
    const keysMount = mounts.find((m) => m.container === settings.CALLCAST_API_KEYS_FILE);
    expect(keysMount?.host).toBe('./deploy/api-keys.example.json');

    // The container sees the mounted file at its path; here, the host side of the mount.
    const config = loadConfig({ ...settings, CALLCAST_API_KEYS_FILE: join(ROOT, keysMount!.host) });
    expect(config.host).toBe('0.0.0.0');
    expect(() => checkOpenListen(config, {})).not.toThrow();
    expect(loadKeyFile(config.apiKeysFile!).size).toBe(2);

    const { CALLCAST_API_KEYS_FILE: _dropped, ...withoutKeys } = settings;
    const open = loadConfig(withoutKeys);
    expect(() => checkOpenListen(open, {})).toThrow(ConfigError);
    expect(() => checkOpenListen(open, {})).toThrow(/^HOST: 0\.0\.0\.0 is reachable from other machines/);
  });

  it('publishes the API on loopback by default, since the example keys are public', () => {
    expect(composeService().ports).toEqual(['127.0.0.1:3000:3000']);
  });

  it('the keys printed in docs/deploy.md are the example file’s (admin and viewer)', () => {
    const doc = read('docs/deploy.md');
    const ring = loadKeyFile(join(ROOT, 'deploy/api-keys.example.json'));
    const keys = [...doc.matchAll(/`(cc_example-[A-Za-z-]+)`/g)].map((m) => m[1]!);
    expect(keys).toEqual(['cc_example-admin-CHANGE-ME', 'cc_example-wallboard-CHANGE-ME']);
    expect(keys.map((k) => verdictOf(ring.find(k), Date.now()))).toEqual([
      { ok: true, key: { name: 'example-admin', role: 'admin' } },
      { ok: true, key: { name: 'example-wallboard', role: 'viewer' } },
    ]);
    expect(ring.find('cc_something-else')).toBeUndefined();
    expect(hashKey('cc_example-admin-CHANGE-ME')).toBe(
      '6f34549241c6e8e26f84a6a21077f123c213f039b6c82e978535a4832da4e81c',
    );
  });

  it('runs the image on a maintained Node LTS (24) in both stages', () => {
    const froms = [...read('Dockerfile').matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
  });
});
