// Lets the simulator (or any in-process producer) write events straight into the store,
// through the same validation and writer as every other source.
import type { CallcastEvent } from '../../src/events/index.js';
import { addValue, emptyBatch } from './prepare.js';
import type { BatchWriter } from './writer.js';

export interface StoreSink {
  send(events: CallcastEvent[]): Promise<void>;
  close(): Promise<void>;
}

export function storeSink(writer: BatchWriter, onSent?: (count: number) => void): StoreSink {
  return {
    async send(events) {
      const batch = emptyBatch();
      const now = Date.now();
      for (const event of events) addValue(batch, event, { source: 'simulator' }, now);
      await writer.write(batch);
      onSent?.(events.length);
    },
    async close() {},
  };
}
