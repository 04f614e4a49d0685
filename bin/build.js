#!/usr/bin/env node
// Compiles the service (src/, pipelines/, forecasts/) to dist/ with tsc (tsconfig.build.json) and
// copies their other files (src/web/*.html, …) beside the JavaScript, so code that reads a file
// relative to import.meta.url finds it in dist/ too. sql/ and dashboards/generated/ stay where they
// are: the code finds them from the project root (src/config/paths.ts).
//   node bin/build.js             build; exits 1 on a type error (`npm run build`, the Docker image)
//   node bin/build.js --if-stale  build only when a source is newer than the last build (`npm ci`
//                                 through `prepare`, `npm start`, `npm run callcast`); a type error
//                                 is reported but does not fail: the type check belongs to `npm test`
// dist/.build-stamp is written after a clean build; a build with type errors still emits the
// JavaScript (types do not change what runs) and leaves the stamp alone.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
const ifStale = process.argv.includes('--if-stale');

function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ['src', 'pipelines', 'forecasts']) visit(join(root, dir));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) {
    newest = Math.max(newest, statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  }
  return newest;
}

if (ifStale && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource()) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write(
    'callcast build: typescript is not installed (it is a devDependency): run `npm ci` with dev dependencies to build dist/\n',
  );
  process.exit(existsSync(join(root, 'dist', 'src', 'cli.js')) ? 0 : 1);
}

const started = Date.now();
for (const dir of ['src', 'pipelines', 'forecasts']) {
  cpSync(join(root, dir), join(root, 'dist', dir), {
    recursive: true,
    filter: (path) => statSync(path).isDirectory() || !path.endsWith('.ts'),
  });
}
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status === 0) {
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  if (ifStale) process.stderr.write(`callcast: rebuilt dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.exit(0);
}
if (ifStale && existsSync(join(root, 'dist', 'src', 'cli.js'))) {
  process.stderr.write(
    'callcast build: type errors (above; npm run typecheck); dist/ holds the JavaScript tsc emitted\n',
  );
  process.exit(0);
}
process.exit(result.status ?? 1);
