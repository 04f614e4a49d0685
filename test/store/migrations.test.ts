import { mkdtempSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, splitStatements, SQL_DIR } from '../../src/store/migrate.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(() => temp.cleanup());

describe('migrations', () => {
  it('splits statements on a trailing semicolon and drops comments', () => {
    expect(splitStatements("-- a table\nCREATE TABLE a (x String DEFAULT 'a');\n\nSELECT 1;  \n")).toEqual([
      "CREATE TABLE a (x String DEFAULT 'a')",
      'SELECT 1',
    ]);
  });

  it('records every migration once, and a second run applies nothing', async () => {
    const names = readdirSync(SQL_DIR)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.replace('.sql', ''))
      .sort();
    const again = await migrate(temp.store.client);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(names);
    expect(await temp.count('SELECT count() FROM schema_migrations')).toBe(names.length);
    const tables = await temp.rows<{ name: string }>(
      'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name',
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'agent_state_events',
        'contact_events',
        'dead_letters',
        'schema_migrations',
        'survey_events',
      ]),
    );
  });

  it('applies a new file in order and refuses one that changed after it ran', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callcast-sql-'));
    for (const file of readdirSync(SQL_DIR)) copyFileSync(join(SQL_DIR, file), join(dir, file));
    writeFileSync(
      join(dir, '900_extra.sql'),
      'CREATE TABLE IF NOT EXISTS extra_t (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    );
    expect((await migrate(temp.store.client, dir)).applied).toEqual(['900_extra']);
    writeFileSync(
      join(dir, '900_extra.sql'),
      'CREATE TABLE IF NOT EXISTS extra_t (x UInt16) ENGINE = MergeTree ORDER BY x;\n',
    );
    await expect(migrate(temp.store.client, dir)).rejects.toThrow('migration 900_extra changed after it was applied');
  });
});
