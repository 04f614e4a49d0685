// CLICKHOUSE_CLUSTER: the migrations' cluster form, checked on the real sql/ files. No cluster
// runs here, so each translated statement is checked by ClickHouse's own parser (EXPLAIN AST on
// the embedded engine) and one table's output is checked in full.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, statementsFor, type Migration } from '../../src/store/migrate.js';
import { clusterStatements, mergeTreeTables, schemaMigrationsDdl } from '../../src/store/cluster-ddl.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

let all: Migration[];
let t: TempStore;

beforeAll(async () => {
  all = await loadMigrations();
  t = await openTempStore();
});
afterAll(async () => t?.cleanup());

const byName = (name: string) => all.find((m) => m.name === name)!;

describe('cluster migrations', () => {
  it('contact_events: a replicated local table and a Distributed table of the old name, sharded by contact', () => {
    const out = statementsFor(byName('001_contact_events'), all, { cluster: 'callcast' });
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(`CREATE TABLE IF NOT EXISTS contact_events_local ON CLUSTER callcast (
  event_id      UUID,
  type          LowCardinality(String),
  occurred_at   DateTime64(3, 'UTC'),
  contact_id    String,
  queue         LowCardinality(String),
  channel       LowCardinality(String),
  customer_id   String,
  reason        LowCardinality(String),
  agent_id      String,
  talk_s        Float64,
  hold_s        Float64,
  wrap_s        Float64,
  transferred   Nullable(Bool),
  resolved      Nullable(Bool),
  extra         String,
  _source       LowCardinality(String),
  _topic        LowCardinality(String),
  _partition    Int32,
  _offset       Int64,
  _request_id   String,
  _ingested_at  DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/contact_events_local', '{replica}')
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (queue, occurred_at, event_id)
SETTINGS non_replicated_deduplication_window = 1000`);
    expect(out[1]).toBe(`CREATE TABLE IF NOT EXISTS contact_events ON CLUSTER callcast AS contact_events_local
ENGINE = Distributed(callcast, currentDatabase(), contact_events_local, cityHash64(contact_id))`);
  });

  it('keeps engine arguments after the replication path (version column of shift_plans)', () => {
    const [local] = statementsFor(byName('031_shift_plans'), all, { cluster: 'c1' });
    expect(local).toContain(
      `ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/shift_plans_local', '{replica}', solved_at)`,
    );
  });

  it('materialized views read and write the local tables of their shard; backfills go through Distributed', () => {
    const out = statementsFor(byName('010_contact_state'), all, { cluster: 'callcast' });
    const view = out.find((s) => s.startsWith('CREATE MATERIALIZED VIEW'))!;
    expect(view).toMatch(
      /^CREATE MATERIALIZED VIEW IF NOT EXISTS contact_state_mv ON CLUSTER callcast TO contact_state_local AS SELECT/,
    );
    expect(view).toMatch(/FROM contact_events_local$/);
    const backfill = out.find((s) => s.startsWith('INSERT'))!;
    expect(backfill).toMatch(/^INSERT INTO contact_state\n/);
    expect(backfill).toMatch(/FROM contact_events$/);
  });

  it('every statement of every migration has a cluster form that ClickHouse parses', async () => {
    const tables = mergeTreeTables(all.flatMap((m) => m.statements));
    expect([...tables]).toEqual(
      expect.arrayContaining([
        'contact_events',
        'survey_events',
        'agent_state_events',
        'dead_letters',
        'contact_state',
        'forecasts',
        'shift_plans',
      ]),
    );
    for (const m of all) {
      for (const statement of statementsFor(m, all, { cluster: 'callcast' })) {
        await expect(
          t.store.client.query({ query: `EXPLAIN AST ${statement}`, format: 'TabSeparated' }).then((r) => r.text()),
          `${m.name}: ${statement.slice(0, 60)}`,
        ).resolves.toContain(
          statement.startsWith('INSERT') ? 'InsertQuery' : statement.startsWith('ALTER') ? 'AlterQuery' : 'CreateQuery',
        );
      }
    }
    await expect(
      t.store.client
        .query({ query: `EXPLAIN AST ${schemaMigrationsDdl('callcast')}`, format: 'TabSeparated' })
        .then((r) => r.text()),
    ).resolves.toContain('CreateQuery');
  });

  it("without a cluster the statements are the files' own", () => {
    for (const m of all) expect(statementsFor(m, all)).toEqual(m.statements);
  });

  it('refuses a bad cluster name and statements it cannot translate', () => {
    expect(() =>
      clusterStatements('CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a', 'bad name', new Set()),
    ).toThrow('"bad name" is not a valid cluster name');
    expect(() => clusterStatements('DROP TABLE t', 'c1', new Set())).toThrow(
      'no cluster form for this migration statement',
    );
    // A column change reaches the local table and the Distributed one.
    expect(clusterStatements('ALTER TABLE t ADD COLUMN b UInt8', 'c1', new Set(['t']))).toEqual([
      'ALTER TABLE t_local ON CLUSTER c1 ADD COLUMN b UInt8',
      'ALTER TABLE t ON CLUSTER c1 ADD COLUMN b UInt8',
    ]);
    expect(() => clusterStatements('CREATE TABLE t (a UInt8) ENGINE = Memory', 'c1', new Set())).toThrow(
      'table t has no MergeTree-family engine',
    );
  });
});

describe('CLICKHOUSE_CLUSTER', () => {
  it('is read with a ClickHouse server and refused without one', async () => {
    const { loadConfig } = await import('../../src/config/index.js');
    expect(loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: 'callcast' }).store.cluster).toBe(
      'callcast',
    );
    expect(loadConfig({ CLICKHOUSE_URL: 'http://ch:8123' }).store.cluster).toBeUndefined();
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'callcast' })).toThrow(
      'CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL: the embedded engine is one machine',
    );
    expect(() => loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: 'a-b' })).toThrow(
      'CLICKHOUSE_CLUSTER: "a-b" is not a valid cluster name',
    );
  });
});
