// Writes dashboards/generated/<uid>.json from the TypeScript builders (npm run dashboards:build).
// test/dashboards/drift.test.ts fails when the committed files and the builders disagree.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildAll, dashboardJson } from './index.js';

export const GENERATED_DIR = fileURLToPath(new URL('./generated/', import.meta.url));

mkdirSync(GENERATED_DIR, { recursive: true });
const built = buildAll();
const names = new Set(built.map((b) => `${b.uid}.json`));
for (const stale of readdirSync(GENERATED_DIR).filter((f) => f.endsWith('.json') && !names.has(f)))
  rmSync(`${GENERATED_DIR}${stale}`);
for (const b of built) writeFileSync(`${GENERATED_DIR}${b.uid}.json`, dashboardJson(b));
process.stdout.write(`wrote ${built.length} dashboards to ${GENERATED_DIR}\n`);
