#!/usr/bin/env node
// npm records platform-specific optional dependencies (rollup, esbuild, chdb native builds for
// other systems) in package-lock.json only when the registry serves them. The registry this
// project installs from serves this platform's builds only, so npm leaves those entries out,
// and `npm ci` then refuses the lock file ("Missing: … from lock file"). This adds each missing
// entry as an optional package for the platform its name states, so `npm ci` skips it here and
// a machine of that platform installs it. Run after any `npm install`:  npm run lock:complete
import { readFileSync, writeFileSync } from 'node:fs';
import { URL } from 'node:url';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'android', 'aix', 'openharmony'];
const CPU = [
  'x64',
  'arm64',
  'arm',
  'ia32',
  'ppc64',
  'riscv64',
  's390x',
  'loong64',
  'mips64el',
  'loongarch64',
  'wasm32',
];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p)) ?? (parts.includes('sunos') ? 'sunos' : undefined);
  const cpu = parts.find((p) => CPU.includes(p));
  const entry = {};
  if (os) entry.os = [os === 'loongarch64' ? 'linux' : os];
  if (cpu) entry.cpu = [cpu === 'loongarch64' ? 'loong64' : cpu];
  if (parts.includes('musl')) entry.libc = ['musl'];
  else if (parts.includes('gnu') || parts.includes('gnueabihf')) entry.libc = ['glibc'];
  return entry;
}

let added = 0;
for (const [location, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = location === '' ? 'node_modules' : `${location}/node_modules`;
    // Present beside its dependent, or hoisted to the top: nothing to add.
    if (packages[`${base}/${name}`] || packages[`node_modules/${name}`]) continue;
    const exact = String(version).replace(/^[~^=]/, '');
    if (!/^\d+\.\d+\.\d+/.test(exact)) continue;
    packages[`node_modules/${name}`] = { version: exact, optional: true, ...platformOf(name) };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform-specific optional entries added`);
