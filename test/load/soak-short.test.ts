// The soak benchmark (bench/soak.ts) in short: the real service as a child process, fed by a
// paced Kafka stream on librdkafka's mock cluster while API clients read and stream. Asserts
// exactness and that every figure is produced — never speed (that is the benchmark's job).
// 50 clients as in the full soak (40 polling, 10 streaming), at 500 events/s rather than 20,000
// and with the simulator's past event times, so that it fits in CI; docs/reliability.md, Load.
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runSoak, SOAK_DEFAULTS, type SoakReport } from '../../bench/soak/run.js';

// 20,000 messages at 500/s (40 s): one in 500 is poison (n % 500 = 499 → 40) and one in 100 an
// exact copy of an earlier message (n % 100 = 0 except n = 0, when there is nothing to copy → 199).
const MESSAGES = 20_000;
const POISON = 40;
const DUPLICATES = 199;
const DISTINCT = MESSAGES - POISON - DUPLICATES; // 19,761

describe('soak, short', () => {
  it(
    'stores exactly what was produced while 50 clients read, and reports every figure',
    { timeout: 240_000 },
    async () => {
      const report: SoakReport = await runSoak({
        ...SOAK_DEFAULTS,
        rate: 500,
        totalMessages: MESSAGES,
        clients: 50,
        streamClients: 10,
        thinkMs: 1_000,
        partitions: 8,
        eventTime: 'history',
        drainTimeoutMs: 90_000,
      });
      // The figures, for whoever reads the CI run.
      mkdirSync('test-artifacts', { recursive: true });
      writeFileSync('test-artifacts/soak-short.json', JSON.stringify(report, null, 2));
      // Exactness: every distinct event once, every poison message once as a dead letter.
      expect(report.produced).toMatchObject({ duplicates: DUPLICATES, poison: POISON, sendErrors: 0 });
      expect(report.produced.distinctValid).toBe(DISTINCT + report.produced.probes);
      expect(report.stored.distinctEvents).toBe(DISTINCT + report.produced.probes);
      expect(report.stored.distinctEventIds).toBe(DISTINCT + report.produced.probes);
      expect(report.stored.deadLetters).toBe(POISON);
      expect(report.exact).toBe(true);
      expect(report.throughput.caughtUp).toBe(true);
      // The API answered: no 5xx, and every wallboard stream received snapshots.
      expect(report.api.statuses['5xx'] ?? 0).toBe(0);
      expect(report.api.statuses['2xx']).toBeGreaterThan(0);
      expect(report.api.sse.clientsWithSnapshots).toBe(10);
      for (const route of [
        '/v1/realtime',
        '/v1/realtime?queue',
        '/v1/metrics',
        '/v1/metrics?interval=1h',
        '/v1/queues',
      ]) {
        expect(report.api.routes[route]?.p95Ms, route).toBeGreaterThan(0);
      }
      // Figures exist: freshness from probes, rates, memory over time; RSS stays bounded.
      expect(report.freshness.count).toBeGreaterThan(0);
      expect(report.throughput.handledRateDuringProduce).toBeGreaterThan(0);
      expect(report.timeline.length).toBeGreaterThan(5);
      expect(report.memory.rssMaxMb).toBeLessThan(2_048);
      expect(Number.isFinite(report.memory.rssSlopeMbPerMin)).toBe(true);
      expect(report.service.insertErrors).toBe(0);
    },
  );
});
