#!/usr/bin/env node
// The `callcast` command: runs the compiled service (dist/, built by `npm ci` / `npm run build`).
// No TypeScript loader at run time. From a checkout, `npm run -s callcast -- <command>` rebuilds
// dist/ first when a source file is newer than the last build.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const entry = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('callcast: dist/ is missing: run `npm run build` (or `npm ci`, which builds it)\n');
  process.exit(1);
}
await import(entry.href);
