// Prometheus view of the embedded engine's statement queue: how much waits, how long statements
// wait and run, and how many were dropped because their caller had given up.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Lane, LaneStats } from '../store/index.js';

export function registerStoreQueueMetrics(registry: Registry, queue: { stats(): Record<Lane, LaneStats> }): void {
  const registers = [registry];
  const lanes = ['read', 'write'] as const;
  new Gauge({
    name: 'callcast_store_queue_waiting',
    help: 'Statements waiting for the embedded engine, by lane (read: queries; write: inserts)',
    labelNames: ['lane'],
    registers,
    collect() {
      const stats = queue.stats();
      for (const lane of lanes) this.set({ lane }, stats[lane].waiting);
    },
  });
  // Totals kept by the queue, exposed as counters (reset only with the process).
  const totals: [string, string, (s: LaneStats) => number][] = [
    ['callcast_store_statements_total', 'Statements run by the embedded engine, by lane', (s) => s.ran],
    [
      'callcast_store_statements_dropped_total',
      'Statements dropped unrun because their caller gave up (deadline passed) or the store closed',
      (s) => s.dropped,
    ],
    [
      'callcast_store_queue_wait_seconds_total',
      'Seconds statements spent waiting for the engine, by lane',
      (s) => s.waitMs / 1000,
    ],
    ['callcast_store_run_seconds_total', 'Seconds the engine spent running statements, by lane', (s) => s.runMs / 1000],
  ];
  for (const [name, help, value] of totals) {
    new Counter({
      name,
      help,
      labelNames: ['lane'],
      registers,
      collect() {
        const stats = queue.stats();
        this.reset();
        for (const lane of lanes) this.inc({ lane }, value(stats[lane]));
      },
    });
  }
}
