// Queues are independent: fit them on worker threads (workers = 0 fits inline, e.g. in tests).
// Results come back in input order whatever order the workers finish in, so a run is
// deterministic however many threads it uses.
import { Worker } from 'node:worker_threads';
import { fitSeries, type FitInput, type FitOutput } from './fit.js';

export type FitResult = { output: FitOutput } | { error: string };

export async function fitAll(
  inputs: FitInput[],
  workers: number,
  onDone?: (done: number, total: number) => void,
): Promise<FitResult[]> {
  const results: FitResult[] = new Array(inputs.length);
  let done = 0;
  const finish = (i: number, r: FitResult) => {
    results[i] = r;
    onDone?.(++done, inputs.length);
  };
  const threads = Math.min(workers, inputs.length);
  if (threads <= 0) {
    inputs.forEach((input, i) => {
      try {
        finish(i, { output: fitSeries(input) });
      } catch (error) {
        finish(i, { error: error instanceof Error ? error.message : String(error) });
      }
    });
    return results;
  }
  // Compiled (dist/…/pool.js): the worker is worker.js next to this file. From the TypeScript
  // sources (tests, tsx) workers do not inherit tsx's loader: register it inside the thread first.
  const compiled = import.meta.url.endsWith('.js');
  const url = new URL(compiled ? './worker.js' : './worker.ts', import.meta.url);
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  let next = 0;
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = compiled ? new Worker(url) : new Worker(bootstrap, { eval: true });
          let current = -1;
          const send = () => {
            if (next >= inputs.length) {
              void worker.terminate().then(() => resolve());
              return;
            }
            current = next++;
            worker.postMessage({ id: current, input: inputs[current] });
          };
          worker.on('message', (msg: { id: number; output?: FitOutput; error?: string }) => {
            finish(msg.id, msg.output ? { output: msg.output } : { error: msg.error ?? 'unknown error' });
            send();
          });
          worker.once('error', (error) => {
            void worker.terminate();
            reject(new Error(`forecast worker failed on series ${current}: ${error.message}`));
          });
          send();
        }),
    ),
  );
  return results;
}
