// The soak: the real service (`callcast serve`, child process) consumes a paced Kafka stream
// from librdkafka's mock cluster while API clients read and wallboards stream; then the store
// is checked for exact counts. Returns one report object (bench/soak.ts prints it as JSON).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { newKey } from '../../src/api/auth/keys.js';
import { kafkaClientFor, startMockKafka, type MockKafka } from '../../test/support/kafka-broker.js';
import { startClients } from './clients.js';
import type { FromProducer, ProducerOptions, ToProducer } from './producer-worker.js';
import { soakId } from './messages.js';
import { rssMb, scrape, startServiceProcess, type ServiceCounters, type ServiceProcess } from './service.js';
import { downsample, latencySummary, round, secondHalfSlope } from './stats.js';
import { countStore } from './verify.js';

export interface SoakOptions {
  rate: number;
  seconds: number;
  /** Produce exactly this many messages (paced at `rate`) instead of for `seconds`; 0 = off. */
  totalMessages: number;
  clients: number;
  /** How many of the clients hold the SSE stream open instead of polling. */
  streamClients: number;
  thinkMs: number;
  partitions: number;
  /** One in N messages is an exact duplicate / poison. */
  duplicateEvery: number;
  poisonEvery: number;
  /** 'now': events stamped as produced (today's reads grow with the soak); 'history': the simulator's past times. */
  eventTime: 'now' | 'history';
  probeEveryMs: number;
  sampleEveryMs: number;
  /** Longest wait after producing stops for the service to catch up. */
  drainTimeoutMs: number;
  /** Extra environment for the service, e.g. CALLCAST_BATCH_ROWS. */
  serviceEnv?: Record<string, string>;
  progress?: (line: string) => void;
}

export const SOAK_DEFAULTS: SoakOptions = {
  rate: 20_000,
  seconds: 60,
  totalMessages: 0,
  clients: 50,
  streamClients: 10,
  thinkMs: 1_000,
  partitions: 64,
  duplicateEvery: 100,
  poisonEvery: 500,
  eventTime: 'now',
  probeEveryMs: 5_000,
  sampleEveryMs: 5_000,
  drainTimeoutMs: 600_000,
};

// The mock keeps ~5 MB per partition; a soak message is ~330 bytes. Hold the producer back at
// half of what the partitions can hold, so nothing unconsumed is ever dropped.
const MOCK_PARTITION_BYTES = 5 * 1024 * 1024;
const MESSAGE_BYTES = 400;

const TOPIC = 'callcast.soak';
const PROBE_QUEUE = 'soak-probe';

interface Sample {
  t: number;
  produced: number;
  handled: number;
  lag: number;
  consumerLagGauge: number;
  rssMb: number;
  heapUsedMb: number;
}

export async function runSoak(options: SoakOptions) {
  const say = options.progress ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), 'callcast-soak-'));
  const broker = await startMockKafka({ brokers: 1, topics: [{ name: TOPIC, partitions: options.partitions }] });
  // One viewer key per client (and one for the freshness probe), as separate wallboards would have.
  const issued = Array.from({ length: options.clients + 1 }, (_, i) => newKey(`soak-${i}`, 'viewer'));
  const keys = issued.map((k) => k.key);
  const keysFile = join(dataDir, 'soak-keys.json');
  writeFileSync(keysFile, JSON.stringify({ keys: issued.map((k) => k.entry) }));
  let service: ServiceProcess | undefined;
  try {
    service = await startServiceProcess({
      CALLCAST_API_KEYS_FILE: keysFile,
      KAFKA_BROKERS: broker.bootstrap.join(','),
      KAFKA_TOPIC: TOPIC,
      KAFKA_GROUP_ID: 'callcast-soak',
      CALLCAST_DATA_DIR: dataDir,
      ...options.serviceEnv,
    });
    say(`service pid ${service.pid} at ${service.url}; broker ${broker.bootstrap.join(',')}`);
    return await measure(options, broker, service, dataDir, keys, say);
  } finally {
    // Idempotent: on success both are already stopped.
    await service?.stop(5_000);
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(
  options: SoakOptions,
  broker: MockKafka,
  service: ServiceProcess,
  dataDir: string,
  keys: string[],
  say: (line: string) => void,
) {
  const probeProducer = kafkaClientFor(broker.bootstrap, 'soak-probe').producer();
  await probeProducer.connect();

  const maxLag = Math.floor((options.partitions * MOCK_PARTITION_BYTES * 0.5) / MESSAGE_BYTES);
  const workerData: ProducerOptions = {
    bootstrap: broker.bootstrap,
    topic: TOPIC,
    rate: options.rate,
    seconds: options.seconds,
    totalMessages: options.totalMessages,
    maxLag,
    duplicateEvery: options.duplicateEvery,
    poisonEvery: options.poisonEvery,
    eventTime: options.eventTime,
  };
  // Workers do not inherit tsx's loader: register it inside the thread, then load the producer.
  const producerUrl = JSON.stringify(new URL('./producer-worker.ts', import.meta.url).href);
  const worker = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${producerUrl}); })`, {
    eval: true,
    workerData,
  });
  let produced = 0;
  let throttledMs = 0;
  const finished = new Promise<Extract<FromProducer, { done: true }>>((resolve, reject) => {
    worker.on('message', (m: FromProducer) => {
      if ('progress' in m) {
        produced = m.progress.messages;
        throttledMs = m.progress.throttledMs;
      } else if ('done' in m) resolve(m);
    });
    worker.once('error', reject);
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });

  // /readyz answered 200 only once the consumer fetched (it joined the group), so timing starts now.
  const clients = startClients(service.url, {
    clients: options.clients,
    streamClients: options.streamClients,
    thinkMs: options.thinkMs,
    queue: 'billing',
    keys,
  });
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  worker.postMessage({ go: true } satisfies ToProducer);

  // Sampling: counters (and the producer's lag guard) every second, memory every sampleEveryMs.
  const samples: Sample[] = [];
  let last: ServiceCounters | undefined;
  let sampling = true;
  let scrapeErrors = 0;
  const sampler = (async () => {
    let nextSample = 0;
    while (sampling) {
      try {
        last = await scrape(service.url);
        worker.postMessage({ handled: last.handled } satisfies ToProducer);
        if (performance.now() - t0 >= nextSample) {
          nextSample += options.sampleEveryMs;
          samples.push({
            t: round(elapsed(), 1)!,
            produced,
            handled: last.handled,
            lag: produced - last.handled,
            consumerLagGauge: last.consumerLag,
            rssMb: round(await rssMb(service.pid), 1)!,
            heapUsedMb: round(last.heapUsedMb, 1)!,
          });
          say(
            `t=${Math.round(elapsed())}s produced ${produced} handled ${last.handled} rss ${samples.at(-1)!.rssMb} MB`,
          );
        }
      } catch {
        scrapeErrors++;
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();

  // Freshness probes: a contact queued "now" on a queue of its own; fresh once the wallboard
  // snapshot of that queue counts it as waiting.
  const freshness: number[] = [];
  let probes = 0;
  let probesUnseen = 0;
  let probing = true;
  const prober = (async () => {
    while (probing) {
      const k = ++probes;
      const sentAt = performance.now();
      const event = {
        event_id: soakId(3, k),
        type: 'contact.queued',
        occurred_at: new Date().toISOString(),
        contact_id: `probe-${k}`,
        queue: PROBE_QUEUE,
        channel: 'voice',
      };
      await probeProducer.send({ topic: TOPIC, messages: [{ key: event.contact_id, value: JSON.stringify(event) }] });
      let seen = false;
      // Once producing is over, the probe in flight gets 30 s more at most.
      while (!seen && performance.now() - sentAt < (probing ? 120_000 : 30_000)) {
        try {
          const res = await fetch(`${service.url}/v1/realtime?queue=${PROBE_QUEUE}`, {
            headers: { authorization: `Bearer ${keys[options.clients]}` },
            signal: AbortSignal.timeout(30_000),
          });
          const body = (await res.json()) as { queues?: { waiting_now: number }[] };
          seen = (body.queues?.[0]?.waiting_now ?? 0) >= k;
        } catch {
          // counted as unseen below if it never shows
        }
        if (!seen) await new Promise((r) => setTimeout(r, 200));
      }
      if (seen) freshness.push(performance.now() - sentAt);
      else probesUnseen++;
      const wait = sentAt + options.probeEveryMs - performance.now();
      if (wait > 0 && probing) await new Promise((r) => setTimeout(r, wait));
    }
  })();

  const done = await finished;
  const produceSeconds = elapsed();
  produced = done.counts.messages;
  probing = false;
  const api = await clients.stop();
  const handledAtEnd = last?.handled ?? 0;
  say(`producing done after ${Math.round(produceSeconds)} s: ${produced} messages; draining`);

  const expectedMessages = done.counts.messages + probes;
  const drainStart = performance.now();
  while ((last?.handled ?? 0) < expectedMessages && performance.now() - drainStart < options.drainTimeoutMs) {
    await new Promise((r) => setTimeout(r, 500));
  }
  const caughtUpSeconds = elapsed();
  const drainSeconds = (performance.now() - drainStart) / 1000;
  // The probe in flight when producing ended (its count is already in expectedMessages).
  await prober;
  sampling = false;
  await sampler;
  await worker.terminate();
  await probeProducer.disconnect();
  const stopStarted = performance.now();
  const exitCode = await service.stop();
  const stopSeconds = (performance.now() - stopStarted) / 1000;
  await broker.stop();
  const verifyStarted = performance.now();
  const stored = await countStore(dataDir);
  const verifySeconds = (performance.now() - verifyStarted) / 1000;

  const routes = Object.fromEntries(
    [...api.latencies.keys()]
      .sort()
      .map((route) => [route, { ...latencySummary(api.latencies.get(route)!), statuses: api.statuses.get(route) }]),
  );
  const allStatuses = [...api.statuses.values()].reduce<Record<string, number>>((acc, s) => {
    for (const [k, v] of Object.entries(s)) acc[k] = (acc[k] ?? 0) + v;
    return acc;
  }, {});
  const byMinute = (key: 'rssMb' | 'heapUsedMb') => secondHalfSlope(samples.map((s) => [s.t / 60, s[key]]));
  const produceWindow = samples.filter((s) => s.t <= produceSeconds);
  const expectedDistinct = done.counts.distinctValid + probes;
  return {
    options: { ...options, progress: undefined, maxLag },
    machine: { cores: (await import('node:os')).cpus().length, node: process.version },
    produced: {
      messages: expectedMessages,
      distinctValid: expectedDistinct,
      duplicates: done.counts.duplicates,
      poison: done.counts.poison,
      probes,
      sendErrors: done.errors,
    },
    stored: { ...stored, expectedDistinct, expectedDeadLetters: done.counts.poison },
    exact:
      stored.distinctEvents === expectedDistinct &&
      stored.distinctEventIds === expectedDistinct &&
      stored.deadLetters === done.counts.poison,
    throughput: {
      offeredRate: options.rate,
      achievedProduceRate: round(done.counts.messages / produceSeconds, 0),
      producerThrottledSeconds: round(throttledMs / 1000, 1),
      handledDuringProduce: handledAtEnd,
      handledRateDuringProduce: round(handledAtEnd / produceSeconds, 0),
      /** Slope of handled messages over the second half of the producing window: the sustained rate. */
      steadyHandledRate: round(secondHalfSlope(produceWindow.map((s) => [s.t, s.handled])) ?? NaN, 0),
      endToEndRate: round(expectedMessages / caughtUpSeconds, 0),
      produceSeconds: round(produceSeconds, 1),
      drainSeconds: round(drainSeconds, 1),
      caughtUp: (last?.handled ?? 0) >= expectedMessages,
    },
    lag: {
      maxMessages: Math.max(0, ...samples.map((s) => s.lag)),
      atProduceEnd: expectedMessages - handledAtEnd,
      /** Messages per second the lag grew by over the second half of producing (≈0 when keeping up). */
      growthPerSecond: round(secondHalfSlope(produceWindow.map((s) => [s.t, s.lag])) ?? NaN, 1),
    },
    freshness: { probes, unseen: probesUnseen, ...latencySummary(freshness) },
    api: {
      clients: options.clients,
      statuses: allStatuses,
      routes,
      sse: api.sse,
      errorSamples: api.errorSamples,
    },
    memory: {
      rssStartMb: samples[0]?.rssMb ?? null,
      rssMaxMb: Math.max(0, ...samples.map((s) => s.rssMb)),
      rssEndMb: samples.at(-1)?.rssMb ?? null,
      rssSlopeMbPerMin: round(byMinute('rssMb') ?? NaN, 2),
      heapSlopeMbPerMin: round(byMinute('heapUsedMb') ?? NaN, 2),
    },
    service: {
      exitCode,
      stopSeconds: round(stopSeconds, 1),
      verifySeconds: round(verifySeconds, 1),
      insertErrors: last?.insertErrors ?? null,
      consumerRestarts: last?.consumerRestarts ?? null,
      scrapeErrors,
      stderrTail: service.stderrTail().slice(-2_000),
    },
    timeline: downsample(samples, 60),
  };
}

export type SoakReport = Awaited<ReturnType<typeof measure>>;
