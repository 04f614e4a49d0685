// `callcast` registers every command but loads the modules that do the work only when a command
// runs: the modules reached from src/cli.ts through static (non-type) imports stay a short, known
// list, so `callcast --help` does not load the store, the API, the models or the pipelines.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { SIMULATE_MAX_QUEUES } from '../../src/cli/simulate.js';
import { MAX_QUEUES } from '../../pipelines/simulate/profiles.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Module specifiers a file imports at load time: value imports and re-exports, not `import type`, not `import()`. */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const out: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly === true ||
        (clause !== undefined &&
          clause.name === undefined &&
          clause.namedBindings !== undefined &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      out.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/** Every local file and package loaded when src/cli.ts is (the transitive static closure). */
function loadedAtStart(): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    const rel = relative(ROOT, file);
    if (files.has(rel)) return;
    files.add(rel);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
      else packages.add(spec);
    }
  };
  visit(resolve(ROOT, 'src/cli.ts'));
  return { files: [...files].sort(), packages: [...packages].sort() };
}

describe('callcast loads command modules only when they run', () => {
  it('loads only the command definitions, the JSON output names, the configuration and two date helpers at start', () => {
    const { files, packages } = loadedAtStart();
    expect(files).toEqual([
      'src/cli.ts',
      'src/cli/dashboards.ts',
      'src/cli/forecast-run.ts',
      'src/cli/forecast.ts',
      'src/cli/output.ts',
      'src/cli/report.ts',
      'src/cli/service.ts',
      'src/cli/simulate.ts',
      'src/cli/staffing.ts',
      'src/config/env.ts',
      'src/config/index.ts',
      'src/metrics/intervals.ts',
      'src/metrics/tz.ts',
      'src/reports/week.ts',
    ]);
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual(['commander']);
  });

  it('the --queues limit of `simulate` is the simulator’s own', () => {
    expect(SIMULATE_MAX_QUEUES).toBe(MAX_QUEUES);
  });

  it('registers every command before any of them runs', async () => {
    // The same registration as src/cli.ts, on a program that is not parsed.
    const program = new Command('callcast');
    const { registerServiceCommands } = await import('../../src/cli/service.js');
    const { registerForecastCommands } = await import('../../src/cli/forecast.js');
    const { registerStaffingCommands } = await import('../../src/cli/staffing.js');
    const { registerReportCommands } = await import('../../src/cli/report.js');
    const { registerSimulateCommand } = await import('../../src/cli/simulate.js');
    const { registerDashboardsCommands } = await import('../../src/cli/dashboards.js');
    registerServiceCommands(program);
    registerForecastCommands(program);
    registerStaffingCommands(program);
    registerReportCommands(program);
    registerSimulateCommand(program, { storeSink: () => Promise.reject(new Error('not used')) });
    registerDashboardsCommands(program);
    const names = (c: Command): string[] =>
      c.commands.flatMap((s) => [s.name(), ...names(s).map((n) => `${s.name()} ${n}`)]);
    expect(names(program)).toEqual([
      'serve',
      'migrate',
      'ingest',
      'forecast',
      'forecast run',
      'backtest',
      'staffing',
      'schedule',
      'report',
      'report voc',
      'simulate',
      'dashboards',
      'dashboards push',
    ]);
  });
});
