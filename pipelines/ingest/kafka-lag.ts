// How many messages wait on the subscribed topics beyond what this consumer has read or the group
// has committed: the watchdog's evidence that "no batch for a while" is a stall, not an idle topic.
import type { Admin, Kafka } from 'kafkajs';

export interface LagProbe {
  /** Messages waiting, or undefined when the cluster could not be asked. */
  waiting(readUpTo: ReadonlyMap<string, number>): Promise<number | undefined>;
  close(): Promise<void>;
}

/** Key of a topic/partition in `readUpTo`: the next offset this process would read there. */
export const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export function createLagProbe(client: Kafka, groupId: string, topics: string[]): LagProbe {
  let admin: Admin | undefined;
  return {
    async waiting(readUpTo) {
      try {
        admin ??= client.admin();
        await admin.connect();
        let waiting = 0;
        for (const topic of topics) {
          const [ends, [committed]] = await Promise.all([
            admin.fetchTopicOffsets(topic),
            admin.fetchOffsets({ groupId, topics: [topic] }),
          ]);
          const committedAt = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
          for (const end of ends) {
            const position = Math.max(
              committedAt.get(end.partition) ?? -1,
              readUpTo.get(partitionKey(topic, end.partition)) ?? -1,
              Number(end.low),
            );
            waiting += Math.max(0, Number(end.high) - position);
          }
        }
        return waiting;
      } catch {
        // Brokers down or the group coordinator moving: no evidence either way.
        const broken = admin;
        admin = undefined;
        await broken?.disconnect().catch(() => {});
        return undefined;
      }
    },
    async close() {
      await admin?.disconnect().catch(() => {});
      admin = undefined;
    },
  };
}
