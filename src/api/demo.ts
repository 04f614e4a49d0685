// The embedded demo: seeds a simulated history, then streams live simulated events.
import type { Logger } from 'pino';
import type { BatchWriter } from '../../pipelines/ingest/writer.js';

export interface DemoSimulation {
  stop(): Promise<void>;
}

export function startDemoSimulation(writer: BatchWriter, log: Logger): DemoSimulation {
  void writer;
  log.info('simulator not wired yet');
  return { async stop() {} };
}
