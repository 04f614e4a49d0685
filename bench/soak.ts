// Soak benchmark: the whole service under Kafka ingest and API load for a while, then exact
// counts. Prints one JSON object. See docs/reliability.md "Load".
// Usage: npm run bench:soak [-- --rate 20000 --seconds 1800 --clients 50 --stream-clients 10 --think-ms 1000
//   --partitions 64 --event-time now|history --messages N (exactly N, paced at --rate) --batch-rows N
//   --service-env NAME=value (repeatable: extra environment for the service)]
import { parseArgs } from 'node:util';
import { runSoak, SOAK_DEFAULTS } from './soak/run.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: String(SOAK_DEFAULTS.rate) },
    seconds: { type: 'string', default: String(SOAK_DEFAULTS.seconds) },
    clients: { type: 'string', default: String(SOAK_DEFAULTS.clients) },
    'stream-clients': { type: 'string', default: String(SOAK_DEFAULTS.streamClients) },
    'think-ms': { type: 'string', default: String(SOAK_DEFAULTS.thinkMs) },
    partitions: { type: 'string', default: String(SOAK_DEFAULTS.partitions) },
    'batch-rows': { type: 'string' },
    'event-time': { type: 'string', default: SOAK_DEFAULTS.eventTime },
    messages: { type: 'string', default: '0' },
    'service-env': { type: 'string', multiple: true, default: [] },
  },
});
const positive = (name: string, raw: string | undefined) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected a whole number, got "${raw}"`);
  return n;
};
const eventTime = (raw: string | undefined) => {
  if (raw !== 'now' && raw !== 'history') throw new Error(`--event-time: expected now or history, got "${raw}"`);
  return raw;
};
const report = await runSoak({
  ...SOAK_DEFAULTS,
  rate: positive('rate', values.rate),
  seconds: positive('seconds', values.seconds),
  clients: positive('clients', values.clients),
  streamClients: positive('stream-clients', values['stream-clients']),
  thinkMs: positive('think-ms', values['think-ms']),
  partitions: positive('partitions', values.partitions),
  totalMessages: positive('messages', values.messages),
  eventTime: eventTime(values['event-time']),
  serviceEnv: {
    ...Object.fromEntries(
      values['service-env'].map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`--service-env: expected NAME=value, got "${pair}"`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    ),
    ...(values['batch-rows'] ? { CALLCAST_BATCH_ROWS: String(positive('batch-rows', values['batch-rows'])) } : {}),
  },
  progress: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
});
console.log(JSON.stringify(report, null, 2));
process.exitCode = report.exact ? 0 : 1;
