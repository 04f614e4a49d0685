// Which shard a contact's rows reach under the cluster sharding keys (src/store/cluster-ddl.ts),
// evaluated by the engine on one contact's events as the event contract allows them: the
// customer on contact.queued only. The contact key keeps every event of the contact on one
// shard; a customer key would part the queued event from the others (docs/deploy.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARDING_KEYS } from '../../src/store/cluster-ddl.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

let t: TempStore;
beforeAll(async () => {
  t = await openTempStore();
});
afterAll(async () => t?.cleanup());

// Contact c-100 of customer cust-2, as a producer sends it: customer_id on the queued event only.
const EVENTS = `values('type String, contact_id String, customer_id String',
  ('contact.queued', 'c-100', 'cust-2'), ('contact.answered', 'c-100', ''),
  ('contact.completed', 'c-100', ''), ('survey.submitted', 'c-100', ''))`;

/** Shard (of two) of each event under a sharding expression, in the order above. */
const shards = async (key: string) =>
  (await t.rows<{ shard: number }>(`SELECT toUInt8(${key} % 2) AS shard FROM ${EVENTS}`)).map((r) => r.shard);

describe('sharding keys of the contact tables', () => {
  it('shard every contact table by contact', () => {
    expect([SHARDING_KEYS.contact_events, SHARDING_KEYS.contact_state, SHARDING_KEYS.survey_events]).toEqual([
      'cityHash64(contact_id)',
      'cityHash64(contact_id)',
      'cityHash64(contact_id)',
    ]);
  });

  it("keep a contact's events together; a customer key would part its queued event from the rest", async () => {
    // cityHash64('c-100') % 2 = 0, cityHash64('cust-2') % 2 = 0, cityHash64('') % 2 = 1
    expect(await shards(SHARDING_KEYS.contact_events!)).toEqual([0, 0, 0, 0]);
    expect(await shards('cityHash64(customer_id)')).toEqual([0, 1, 1, 1]);
  });
});
