// Store access of the per-queue staffing inputs (sql/070_staffing_inputs.sql): every version
// of some queues, and a new version written from a patch of the latest one (who, when, from
// when, the previous values). Used by the job (the version in force at asOf) and the API.
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '../../src/store/time.js';
import { defaultInputsVersion, type StaffingInputs, type StaffingInputsVersion } from '../../src/staffing/inputs.js';

interface InputsRow {
  queue: string;
  version: number | string;
  effective_from: string;
  changed_at: string;
  changed_by: string;
  inputs: string;
  previous: string;
}

const iso = (t: string) => `${t.replace(' ', 'T')}Z`;

function fromRow(r: InputsRow): StaffingInputsVersion {
  return {
    queue: r.queue,
    version: Number(r.version),
    effective_from: iso(r.effective_from),
    changed_at: iso(r.changed_at),
    changed_by: r.changed_by,
    inputs: { ...defaultInputsVersion(r.queue).inputs, ...(JSON.parse(r.inputs) as Partial<StaffingInputs>) },
    previous: r.previous ? (JSON.parse(r.previous) as StaffingInputs) : null,
  };
}

/** Every version of the given queues, defaults first, by effective time. */
export async function loadInputVersions(
  client: ClickHouseClient,
  queues: string[],
): Promise<Map<string, StaffingInputsVersion[]>> {
  const out = new Map(queues.map((q) => [q, [defaultInputsVersion(q)]]));
  const exists = await (
    await client.query({
      query: `SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'staffing_inputs'`,
      format: 'JSONEachRow',
    })
  ).json<{ n: string }>();
  if (Number(exists[0]?.n ?? 0) === 0) return out;
  const rows = await (
    await client.query({
      query: `SELECT queue, version, toString(effective_from) AS effective_from, toString(changed_at) AS changed_at, changed_by, inputs, previous
              FROM staffing_inputs FINAL WHERE has({queues:Array(String)}, queue) ORDER BY queue, effective_from, version`,
      query_params: { queues },
      format: 'JSONEachRow',
    })
  ).json<InputsRow>();
  for (const r of rows) out.get(r.queue)!.push(fromRow(r));
  return out;
}

// Version numbers come from the store; one writer at a time per process keeps them unique.
let saving: Promise<unknown> = Promise.resolve();

/** Records a new version: the latest version's values changed by `patch`, from `effectiveFrom`. */
export function saveInputs(
  client: ClickHouseClient,
  queue: string,
  patch: Partial<StaffingInputs>,
  who: string,
  effectiveFrom: number,
  now: number,
): Promise<StaffingInputsVersion> {
  const run = saving.then(async () => {
    const versions = (await loadInputVersions(client, [queue])).get(queue)!;
    const latest = versions.reduce((a, b) => (b.version > a.version ? b : a));
    const inputs: StaffingInputs = { ...latest.inputs, ...patch };
    const row = {
      queue,
      version: latest.version + 1,
      effective_from: chTime(effectiveFrom),
      changed_at: chTime(now),
      changed_by: who,
      inputs: JSON.stringify(inputs),
      previous: JSON.stringify(latest.inputs),
    };
    await client.insert({ table: 'staffing_inputs', values: [row], format: 'JSONEachRow' });
    return fromRow(row);
  });
  saving = run.catch(() => undefined);
  return run;
}
