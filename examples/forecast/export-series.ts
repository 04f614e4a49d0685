// Writes the simulated comparison series as ts,volume: the last 20 weeks of synthetic queue 7
// of the bench generator (deterministic), on a half-hour calendar starting Sunday 2024-01-07.
//   npx tsx examples/forecast/export-series.ts > examples/forecast/simulated.csv
import { syntheticSeries } from './synthetic-series.js';

const y = syntheticSeries(7);
const weeks = 20;
const tail = y.subarray(y.length - weeks * 336);
const start = Date.UTC(2024, 0, 7);
const lines = ['ts,volume'];
tail.forEach((v, i) => lines.push(`${new Date(start + i * 1_800_000).toISOString().slice(0, 19)},${v}`));
process.stdout.write(`${lines.join('\n')}\n`);
