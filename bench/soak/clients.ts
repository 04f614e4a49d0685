// API clients for the soak: polling clients cycle through the read routes with a think time
// between requests (a wallboard or a report page each), stream clients hold the SSE wallboard
// stream open and count the snapshots they receive. Every request has a deadline.
import { setMaxListeners } from 'node:events';

const POLL_ROUTES = [
  { route: '/v1/realtime', path: () => '/v1/realtime' },
  { route: '/v1/realtime?queue', path: (queue: string) => `/v1/realtime?queue=${encodeURIComponent(queue)}` },
  { route: '/v1/metrics', path: () => '/v1/metrics' },
  { route: '/v1/metrics?interval=1h', path: () => '/v1/metrics?interval=1h' },
  { route: '/v1/queues', path: () => '/v1/queues' },
] as const;

export interface ClientResults {
  /** Latency in ms of every answered request, per route. */
  latencies: Map<string, number[]>;
  /** Answers by status class per route, e.g. {"2xx": 812, "5xx": 0}; "error" = no answer (timeout, reset). */
  statuses: Map<string, Record<string, number>>;
  errorSamples: string[];
  sse: {
    clients: number;
    snapshots: number;
    unavailable: number;
    clientsWithSnapshots: number;
    maxGapMs: number;
    errors: number;
  };
}

export interface ClientLoad {
  stop(): Promise<ClientResults>;
}

function count(statuses: Map<string, Record<string, number>>, route: string, key: string) {
  const entry = statuses.get(route) ?? {};
  entry[key] = (entry[key] ?? 0) + 1;
  statuses.set(route, entry);
}

/** `keys[i]` is client i's API key: each wallboard has its own, so the per-key rate limit applies per client. */
export function startClients(
  url: string,
  options: {
    clients: number;
    streamClients: number;
    thinkMs: number;
    queue: string;
    keys: string[];
    timeoutMs?: number;
  },
): ClientLoad {
  const controller = new AbortController();
  const results: ClientResults = {
    latencies: new Map(),
    statuses: new Map(),
    errorSamples: [],
    sse: {
      clients: options.streamClients,
      snapshots: 0,
      unavailable: 0,
      clientsWithSnapshots: 0,
      maxGapMs: 0,
      errors: 0,
    },
  };
  const auth = (index: number) => ({ authorization: `Bearer ${options.keys[index]}` });
  // Every client waits on this one signal: many listeners are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        controller.signal.removeEventListener('abort', wake);
        resolve();
      }, ms);
      controller.signal.addEventListener('abort', wake, { once: true });
    });

  async function poller(index: number): Promise<void> {
    await sleep(Math.random() * options.thinkMs); // spread the first requests
    for (let i = index; !controller.signal.aborted; i++) {
      const { route, path } = POLL_ROUTES[i % POLL_ROUTES.length]!;
      const started = performance.now();
      try {
        const res = await fetch(`${url}${path(options.queue)}`, {
          headers: auth(index),
          signal: AbortSignal.any([controller.signal, AbortSignal.timeout(options.timeoutMs ?? 30_000)]),
        });
        await res.arrayBuffer();
        const ms = performance.now() - started;
        if (controller.signal.aborted) break;
        count(results.statuses, route, `${Math.floor(res.status / 100)}xx`);
        if (res.status >= 500 && results.errorSamples.length < 20) results.errorSamples.push(`${route} ${res.status}`);
        const list = results.latencies.get(route) ?? [];
        list.push(ms);
        results.latencies.set(route, list);
      } catch (error) {
        if (controller.signal.aborted) break;
        count(results.statuses, route, 'error');
        if (results.errorSamples.length < 20) results.errorSamples.push(`${route} ${(error as Error).message}`);
      }
      await sleep(options.thinkMs);
    }
  }

  async function streamer(index: number): Promise<void> {
    let got = 0;
    try {
      const res = await fetch(`${url}/v1/realtime/stream`, { headers: auth(index), signal: controller.signal });
      if (!res.ok) throw new Error(`stream answered ${res.status}`);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      let last = performance.now();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let cut: number;
        while ((cut = buffered.indexOf('\n\n')) >= 0) {
          const frame = buffered.slice(0, cut);
          buffered = buffered.slice(cut + 2);
          if (frame.startsWith('event: snapshot')) {
            const now = performance.now();
            if (got > 0) results.sse.maxGapMs = Math.max(results.sse.maxGapMs, now - last);
            last = now;
            got++;
            results.sse.snapshots++;
          } else if (frame.startsWith('event: unavailable')) results.sse.unavailable++;
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) {
        results.sse.errors++;
        if (results.errorSamples.length < 20) results.errorSamples.push(`stream ${(error as Error).message}`);
      }
    }
    if (got > 0) results.sse.clientsWithSnapshots++;
  }

  const running = [
    ...Array.from({ length: options.clients - options.streamClients }, (_, i) => poller(i)),
    ...Array.from({ length: options.streamClients }, (_, i) => streamer(options.clients - options.streamClients + i)),
  ];
  return {
    async stop() {
      controller.abort();
      await Promise.all(running);
      return results;
    },
  };
}
