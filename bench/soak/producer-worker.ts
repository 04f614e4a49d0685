// Worker thread for the soak: produces the message stream at a paced rate so producing does
// not share the main thread with the API clients whose latency is measured. It holds back
// whenever the consumer is more than `maxLag` messages behind: the mock cluster keeps only
// ~5 MB per partition and silently drops older messages, which would break the exact count.
import { parentPort, workerData } from 'node:worker_threads';
import { kafkaClientFor } from '../../test/support/kafka-broker.js';
import { MessageStream } from './messages.js';

export interface ProducerOptions {
  bootstrap: string[];
  topic: string;
  rate: number;
  seconds: number;
  /** Stop after exactly this many messages (0 = produce until `seconds` have passed). */
  totalMessages: number;
  maxLag: number;
  duplicateEvery: number;
  poisonEvery: number;
  eventTime: 'now' | 'history';
}

/** main → worker: the service's handled count (stored + dead-lettered), for the lag guard. */
export type ToProducer = { go: true } | { handled: number };
/** worker → main. */
export type FromProducer =
  | { ready: true }
  | { progress: { messages: number; throttledMs: number } }
  | { done: true; counts: MessageStream['counts']; throttledMs: number; seconds: number; errors: number };

const options = workerData as ProducerOptions;
const port = parentPort!;
const stream = new MessageStream({
  duplicateEvery: options.duplicateEvery,
  poisonEvery: options.poisonEvery,
  eventTime: options.eventTime,
});
const producer = kafkaClientFor(options.bootstrap, 'soak-producer').producer({ allowAutoTopicCreation: false });
await producer.connect();
let handled = 0;
let started = false;
let go!: () => void;
const going = new Promise<void>((resolve) => (go = resolve));
port.on('message', (m: ToProducer) => {
  if ('handled' in m) handled = m.handled;
  else if (!started) {
    started = true;
    go();
  }
});
port.postMessage({ ready: true } satisfies FromProducer);
await going;

const TICK_MS = 100;
const perTick = options.rate * (TICK_MS / 1000);
const start = performance.now();
const end = start + options.seconds * 1000;
let throttledMs = 0;
let errors = 0;
let owed = 0;
let lastProgress = start;
const left = () => (options.totalMessages > 0 ? options.totalMessages - stream.counts.messages : Infinity);
for (let tick = 1; left() > 0 && (options.totalMessages > 0 || performance.now() < end); tick++) {
  owed += perTick;
  const count = Math.min(Math.floor(owed), left());
  owed -= count;
  if (stream.counts.messages - handled > options.maxLag) {
    // Behind: skip this tick's quota rather than queue it, so the offered rate drops to what
    // the consumer sustains and the report shows the throttled time.
    throttledMs += TICK_MS;
  } else if (count > 0) {
    const messages = stream.take(count, Date.now());
    // Two requests in flight spread the load over the partitions' leaders at once.
    const half = Math.ceil(messages.length / 2);
    for (;;) {
      try {
        await Promise.all([
          producer.send({ topic: options.topic, messages: messages.slice(0, half) }),
          producer.send({ topic: options.topic, messages: messages.slice(half) }),
        ]);
        break;
      } catch {
        // A failed send may have been partly written; re-sending is what a real producer
        // does and the store collapses the copies, but the count of messages would no longer
        // be exact, so it is reported.
        errors++;
      }
    }
  }
  const now = performance.now();
  if (now - lastProgress >= 1000) {
    lastProgress = now;
    port.postMessage({ progress: { messages: stream.counts.messages, throttledMs } } satisfies FromProducer);
  }
  const wait = start + tick * TICK_MS - now;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
const seconds = (performance.now() - start) / 1000;
await producer.disconnect();
port.postMessage({ done: true, counts: stream.counts, throttledMs, seconds, errors } satisfies FromProducer);
