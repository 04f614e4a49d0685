// Migrations for a ClickHouse cluster (CLICKHOUSE_CLUSTER=name): every statement runs ON CLUSTER;
// each MergeTree-family table becomes `<name>_local`, Replicated* with the {shard}/{replica}
// macros, and `<name>` becomes a Distributed table over it, so the service reads and writes the
// same names as on one machine. Materialized views read and write the local tables on each
// shard; backfill INSERTs go through the Distributed tables. Only the statement kinds the
// migrations use are translated; anything else is refused rather than half-applied.

/**
 * How rows spread over shards. Rows that FINAL or GROUP BY must meet stay on one shard: one
 * contact's events and state, one agent's states, one dead letter's redeliveries, one queue's
 * settings and plans. Tables not named here are spread at random. The contact tables shard by
 * contact, not customer: customer_id is required on contact.queued only, so a customer key would
 * part a contact's later events from its queued one (docs/deploy.md); the FCR's join by customer
 * runs in the global form instead (CLUSTER_SESSION_SETTINGS).
 */
export const SHARDING_KEYS: Record<string, string> = {
  contact_events: 'cityHash64(contact_id)',
  contact_state: 'cityHash64(contact_id)',
  survey_events: 'cityHash64(contact_id)',
  agent_state_events: 'cityHash64(agent_id)',
  // Fed by views on each shard from the tables above: the same keys keep backfills where the views write.
  agent_current: 'cityHash64(agent_id)',
  agent_contacts: 'cityHash64(contact_id)',
  dead_letters: 'cityHash64(_source, _topic, _partition, _offset, _request_id, _item)',
  queue_settings: 'cityHash64(queue)',
  queues_seen: 'cityHash64(queue)',
  shift_plans: 'cityHash64(queue)',
  // One episode's opened and resolved rows meet under FINAL; one job's lease terms are read together.
  alert_episodes: 'cityHash64(id)',
  job_leases: 'cityHash64(job)',
};

/**
 * Settings of every statement against a cluster (CLICKHOUSE_CLUSTER). The app's reads put
 * `IN (subquery)` and JOINs over Distributed tables (the repeat-contact FCR joins contacts by
 * customer, while rows are sharded by contact so that one contact's events meet under FINAL):
 * ClickHouse refuses those by default (distributed_product_mode = 'deny'); 'global' runs each
 * such subquery once and sends its result to every shard (GLOBAL IN / GLOBAL JOIN), so the
 * answers are those of one machine without rewriting the SQL. insert_distributed_sync makes an
 * insert through a Distributed table return only once every shard has its rows, so the ingest
 * writer's acknowledgement (and the Kafka offsets committed after it) means the rows are stored.
 */
export const CLUSTER_SESSION_SETTINGS = { distributed_product_mode: 'global', insert_distributed_sync: 1 } as const;

export const localName = (table: string) => `${table}_local`;

const ident = (s: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new Error(`CLICKHOUSE_CLUSTER: "${s}" is not a valid cluster name`);
  return s;
};

/** Tables every migration file creates with a MergeTree-family engine (so views can be pointed at their local tables). */
export function mergeTreeTables(statements: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const s of statements) {
    const m = /^CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\([\s\S]*\)\s*ENGINE\s*=\s*\w*MergeTree\b/i.exec(s);
    if (m) out.add(m[1]!);
  }
  return out;
}

/** `ReplacingMergeTree(solved_at)` → `ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/t', '{replica}', solved_at)`. */
function replicatedEngine(engine: string, args: string | undefined, table: string, shardMacro: string): string {
  const path = `'/clickhouse/tables/${shardMacro}/{database}/${table}', '{replica}'`;
  const rest = args?.trim() ? `, ${args.trim()}` : '';
  return `Replicated${engine}(${path}${rest})`;
}

const ENGINE = /ENGINE\s*=\s*(\w*MergeTree)\b(?:\s*\(([^)]*)\))?/i;

/** The statements that replace one migration statement on a cluster. */
export function clusterStatements(statement: string, cluster: string, tables: ReadonlySet<string>): string[] {
  const c = ident(cluster);
  const on = `ON CLUSTER ${c}`;
  const s = statement.trim();

  const table = /^CREATE TABLE (IF NOT EXISTS )?(\w+)\s*(\([\s\S]*)$/i.exec(s);
  if (table) {
    const [, ifNotExists = '', name, body] = table as unknown as [string, string | undefined, string, string];
    const engine = ENGINE.exec(body);
    if (!engine)
      throw new Error(`CLICKHOUSE_CLUSTER: table ${name} has no MergeTree-family engine; add its cluster form by hand`);
    const local = localName(name);
    const localBody = body.replace(ENGINE, `ENGINE = ${replicatedEngine(engine[1]!, engine[2], local, '{shard}')}`);
    return [
      `CREATE TABLE ${ifNotExists}${local} ${on} ${localBody}`,
      `CREATE TABLE ${ifNotExists}${name} ${on} AS ${local}\nENGINE = Distributed(${c}, currentDatabase(), ${local}, ${SHARDING_KEYS[name] ?? 'rand()'})`,
    ];
  }

  const view = /^CREATE MATERIALIZED VIEW (IF NOT EXISTS )?(\w+)\s+TO\s+(\w+)\s+AS\s+([\s\S]*)$/i.exec(s);
  if (view) {
    const [, ifNotExists = '', name, target, select] = view as unknown as [
      string,
      string | undefined,
      string,
      string,
      string,
    ];
    // On each shard the view turns that shard's raw rows into that shard's aggregate rows.
    const localSelect = select.replace(/\bFROM\s+(\w+)/gi, (whole, src: string) =>
      tables.has(src) ? `FROM ${localName(src)}` : whole,
    );
    const to = tables.has(target) ? localName(target) : target;
    return [`CREATE MATERIALIZED VIEW ${ifNotExists}${name} ${on} TO ${to} AS ${localSelect}`];
  }

  if (/^INSERT INTO \w+/i.test(s)) return [s];

  // A column change reaches the replicated local table and the Distributed one in front of it.
  const alter = /^ALTER TABLE (\w+)\s+([\s\S]*)$/i.exec(s);
  if (alter) {
    const [, name, change] = alter as unknown as [string, string, string];
    const local = tables.has(name) ? [`ALTER TABLE ${localName(name)} ${on} ${change}`] : [];
    return [...local, `ALTER TABLE ${name} ${on} ${change}`];
  }

  throw new Error(`CLICKHOUSE_CLUSTER: no cluster form for this migration statement: ${s.slice(0, 80)}…`);
}

/** schema_migrations on a cluster: one replicated copy on every node (no shard in the path). */
export function schemaMigrationsDdl(cluster?: string): string {
  if (!cluster) {
    return `CREATE TABLE IF NOT EXISTS schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = MergeTree ORDER BY version`;
  }
  return `CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER ${ident(cluster)} (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/schema_migrations', '{replica}') ORDER BY version`;
}
