// Files the service reads at run time by path (sql/ migrations, the wallboard page, the generated
// dashboards) live in the repository, not in the compiled output: resolve them from the project
// root, whether this module runs as src/config/paths.ts (vitest, tsx) or dist/src/config/paths.js.
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const twoUp = fileURLToPath(new URL('../../', import.meta.url));

/** The repository (or installed package) root: the folder holding package.json, sql/ and src/. */
export const PROJECT_ROOT = basename(twoUp) === 'dist' ? join(twoUp, '..') : twoUp;

/** A path under the project root, e.g. `projectPath('sql')`. */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
