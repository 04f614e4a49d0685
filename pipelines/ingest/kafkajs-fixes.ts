// Two fixes to kafkajs 2.2.4's consumer group (kafkajs is unmaintained; 2.2.4 is the last
// release), applied once to its ConsumerGroup class. Found with the librdkafka mock cluster, see
// docs/reliability.md ("Faults"):
//
// 1. A fetch that fails with a leadership error (NOT_LEADER_FOR_PARTITION, LEADER_NOT_AVAILABLE,
//    UNKNOWN_TOPIC_OR_PARTITION, *_LEADER_EPOCH) made kafkajs refresh metadata AND rejoin the
//    group. A leader move does not change the assignment, so the rejoin only costs a group-wide
//    rebalance; against the mock it stalled consumption for 30–60 s (the coordinator holds a
//    rejoin of a stable group for session.timeout − 1 s, and commits and heartbeats queue behind
//    it on the same connection). Now it refreshes metadata only. A real assignment change (new
//    partitions) is still caught by kafkajs's own stale-assignment check, which rejoins.
// 2. Each broker has its own fetcher, so several of them rejoined at once with the same member
//    id; the coordinator answered only one. Concurrent rejoins now share one JoinGroup/SyncGroup.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The kafkajs release these fixes were written against and tested with. */
const PATCHED_VERSION = '2.2.4';

const LEADERSHIP_ERRORS = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

interface ConsumerGroupInternals {
  cluster: { refreshMetadata(): Promise<void> };
  joinAndSync(): Promise<void>;
  recoverFromFetch(error: { type?: string }): Promise<void>;
}

type ConsumerGroupClass = { prototype: ConsumerGroupInternals };

const inFlightJoin = new WeakMap<ConsumerGroupInternals, Promise<void>>();
let applied: boolean | undefined;

/** Applies the fixes once; returns false (and changes nothing) on another kafkajs version. */
export function applyKafkajsFixes(): boolean {
  if (applied !== undefined) return applied;
  const { version } = require('kafkajs/package.json') as { version: string };
  applied = version === PATCHED_VERSION;
  if (!applied) return false;
  const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js') as ConsumerGroupClass;
  const proto = ConsumerGroup.prototype;

  const recoverFromFetch = proto.recoverFromFetch;
  proto.recoverFromFetch = async function (this: ConsumerGroupInternals, error) {
    if (error.type && LEADERSHIP_ERRORS.has(error.type)) {
      await this.cluster.refreshMetadata();
      return;
    }
    return recoverFromFetch.call(this, error);
  };

  const joinAndSync = proto.joinAndSync;
  proto.joinAndSync = function (this: ConsumerGroupInternals) {
    let join = inFlightJoin.get(this);
    if (!join) {
      join = joinAndSync.call(this).finally(() => inFlightJoin.delete(this));
      inFlightJoin.set(this, join);
    }
    return join;
  };
  return true;
}
