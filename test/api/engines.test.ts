// README promises Node ≥ 20 (package.json engines): every package the lock file installs must
// accept the oldest Node that promise covers, or `npm ci` warns EBADENGINE (cookie 2 and
// content-disposition 3 need Node 22: package.json overrides pin cookie 1.1.1 and
// content-disposition 2.0.1, which export the same functions light-my-request and
// @fastify/static call).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const semver = require('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

describe('Node engines', () => {
  it('every locked package accepts the oldest Node that package.json promises', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    expect(oldest).toBe('20.0.0');
    // The newest 20.x is what machines run; 20.0.0 itself is older than several dependencies' floors (^20.9).
    const node20 = '20.19.0';
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !semver.satisfies(node20, (p.engines as { node: string }).node))
      .map(([path, p]) => `${path}@${p.version} needs node ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });
});
