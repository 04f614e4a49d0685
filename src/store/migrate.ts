// Applies sql/NNN_name.sql in order and records each in schema_migrations; a second run is a no-op.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { clusterStatements, mergeTreeTables, schemaMigrationsDdl } from './cluster-ddl.js';
import type { Store } from './client.js';
import { projectPath } from '../config/paths.js';

export const SQL_DIR = projectPath('sql');

export interface Migration {
  version: number;
  name: string;
  statements: string[];
  checksum: string;
}

/** Splits a migration file into statements: `;` at the end of a line ends one; `--` comments go. */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
  return withoutComments
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export async function loadMigrations(dir = SQL_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const text = await readFile(`${dir}/${file}`, 'utf8');
    migrations.push({
      version: Number(file.slice(0, 3)),
      name: file.replace(/\.sql$/, ''),
      statements: splitStatements(text),
      checksum: createHash('sha256').update(text).digest('hex'),
    });
  }
  const versions = new Set(migrations.map((m) => m.version));
  if (versions.size !== migrations.length) throw new Error(`two migrations in ${dir} share a number`);
  return migrations;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export interface MigrateOptions {
  /** CLICKHOUSE_CLUSTER: run ON CLUSTER with Replicated local tables behind Distributed ones (src/store/cluster-ddl.ts). */
  cluster?: string;
}

/** The statements a migration runs: as written, or their cluster form. */
export function statementsFor(migration: Migration, all: readonly Migration[], options: MigrateOptions = {}): string[] {
  if (!options.cluster) return migration.statements;
  const tables = mergeTreeTables(all.flatMap((m) => m.statements));
  return migration.statements.flatMap((s) => clusterStatements(s, options.cluster!, tables));
}

export async function migrate(
  client: ClickHouseClient,
  dir = SQL_DIR,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  await client.command({ query: schemaMigrationsDdl(options.cluster) });
  const done = await (
    await client.query({
      query: 'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
      format: 'JSONEachRow',
    })
  ).json<{ version: number; name: string; checksum: string }>();
  const doneByVersion = new Map(done.map((row) => [Number(row.version), row]));
  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  const migrations = await loadMigrations(dir);
  for (const migration of migrations) {
    const previous = doneByVersion.get(migration.version);
    if (previous) {
      // A changed file that already ran would silently diverge between stores: refuse it.
      if (previous.checksum !== migration.checksum) {
        throw new Error(`migration ${migration.name} changed after it was applied; add a new migration instead`);
      }
      result.alreadyApplied.push(migration.name);
      continue;
    }
    for (const statement of statementsFor(migration, migrations, options)) await client.command({ query: statement });
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
    });
    result.applied.push(migration.name);
  }
  return result;
}

/** Applies the migrations to an opened store, `ON CLUSTER` when it was opened with a cluster. */
export function migrateStore(store: Pick<Store, 'client' | 'cluster'>): Promise<MigrationResult> {
  return migrate(store.client, undefined, { cluster: store.cluster });
}
