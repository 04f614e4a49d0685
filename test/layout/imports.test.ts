// The layout rules (the layout table of docs/ARCHITECTURE.md), checked on every import in the repository
// (static and dynamic), so that picture stays true as the code grows.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CODE_DIRS = ['src', 'pipelines', 'forecasts', 'dashboards', 'bench', 'test', 'scripts', 'bin'];

interface ImportEdge {
  from: string; // repository-relative path of the importing file
  to: string; // repository-relative path of the imported file, or the package specifier
  local: boolean;
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function edgesOf(file: string): ImportEdge[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const from = relative(ROOT, file).split(sep).join('/');
  return info.importedFiles.map(({ fileName }) => {
    if (!fileName.startsWith('.')) return { from, to: fileName, local: false };
    return {
      from,
      to: relative(ROOT, resolve(dirname(file), fileName))
        .split(sep)
        .join('/'),
      local: true,
    };
  });
}

const allEdges = CODE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d))).flatMap(edgesOf);

/** The first one or two path segments that the rules talk about: `src/api`, `pipelines`, `forecasts/models`. */
function area(path: string): string {
  const [top, second] = path.split('/');
  if (top === 'src' && path === 'src/cli.ts') return 'src/cli';
  if (top === 'src' || (top === 'forecasts' && second === 'models')) return `${top}/${second}`;
  return top ?? path;
}

/** Which areas each area may import (besides itself and npm packages); from the layout table of docs/ARCHITECTURE.md. */
function mayImport(fromArea: string, toArea: string): boolean {
  if (fromArea === toArea) return true;
  if (toArea === 'test') return fromArea === 'test' || fromArea === 'bench'; // bench may import everything
  if (toArea === 'bench') return fromArea === 'bench' || fromArea === 'test'; // test may import everything
  if (fromArea === 'test' || fromArea === 'bench') return true;
  const to = toArea.split('/')[0]!;
  if (fromArea === 'src/api' || fromArea === 'src/cli') return true; // the two composition roots
  if (fromArea.startsWith('src/')) return to === 'src' || to === 'sql';
  if (fromArea === 'pipelines')
    return ['src/store', 'src/events', 'src/config', 'src/logger.ts'].includes(toArea) || to === 'sql';
  // The forecast history is counted with the one metric definition (src/metrics).
  if (fromArea === 'forecasts')
    return ['src/store', 'src/config', 'src/staffing', 'src/metrics', 'src/logger.ts', 'forecasts/models'].includes(
      toArea,
    );
  if (fromArea === 'forecasts/models') return false; // pure functions: nothing outside models
  // The dashboards' panel SQL is built from the one metric definition (src/metrics/contacts-sql.ts).
  if (fromArea === 'dashboards') return to === 'sql' || toArea === 'src/metrics';
  return true;
}

describe('layout rules (docs/ARCHITECTURE.md)', () => {
  it('finds the imports it checks', () => {
    // A parser that silently found nothing would pass every rule below.
    expect(allEdges.filter((e) => e.from === 'src/cli.ts' && e.local).map((e) => e.to)).toContain('src/cli/service.js');
  });

  it('every local import crosses only the boundaries the layout allows', () => {
    const crossings = allEdges
      .filter((e) => e.local && !mayImport(area(e.from), area(e.to)))
      .map((e) => `${e.from} → ${e.to}`);
    expect(crossings).toEqual([]);
  });

  it('forecast models do no I/O: no Node built-ins, no clients', () => {
    const io = allEdges
      .filter((e) => area(e.from) === 'forecasts/models' && !e.local)
      .filter(
        (e) =>
          e.to.startsWith('node:') ||
          ['fs', 'net', 'http', 'child_process', '@clickhouse/client', 'chdb', 'kafkajs'].includes(e.to),
      )
      .map((e) => `${e.from} → ${e.to}`);
    expect(io).toEqual([]);
  });
});
