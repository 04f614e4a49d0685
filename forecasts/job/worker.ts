// Worker-thread side of the pool: fits one series per message.
import { parentPort } from 'node:worker_threads';
import { fitSeries, type FitInput } from './fit.js';

parentPort!.on('message', (msg: { id: number; input: FitInput }) => {
  try {
    parentPort!.postMessage({ id: msg.id, output: fitSeries(msg.input) });
  } catch (error) {
    parentPort!.postMessage({ id: msg.id, error: error instanceof Error ? error.message : String(error) });
  }
});
