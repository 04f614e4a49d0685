// bench:alerts — the alert evaluator replayed over simulated history, as JSON:
//  1. a calm month (no planted surge): every alert episode raised, by rule (surge alerts here are
//     false alarms; the others are real threshold breaches of the simulated centre);
//  2. planted surges (factor 3, two hours) after it: minutes from onset to the surge alert.
// Usage: npm run bench:alerts -- [--queues 5] [--calm-days 30] [--period-min 5] [--seed 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AlertEvaluator } from '../src/alerts/evaluator.js';
import { replay } from '../src/alerts/replay.js';
import { migrate, openStore } from '../src/store/index.js';
import { parseSurge, type Surge } from '../pipelines/simulate/generator.js';
import { seed } from '../test/alerts/seed.js';
import { queueProfiles } from '../pipelines/simulate/profiles.js';

const { values } = parseArgs({
  options: {
    queues: { type: 'string', default: '5' },
    'calm-days': { type: 'string', default: '30' },
    'period-min': { type: 'string', default: '5' },
    seed: { type: 'string', default: '3' },
  },
});
const queues = Number(values.queues);
const calmDays = Number(values['calm-days']);
const periodMs = Number(values['period-min']) * 60_000;
const DAY = 86_400_000;
const BASELINE_DAYS = 28;
const start = Date.parse('2026-08-03T00:00:00Z'); // a Monday; Labor Day (7 Sep) falls in the calm month
const calmFrom = start + BASELINE_DAYS * DAY;
const calmTo = calmFrom + calmDays * DAY;
const known = new Set(queueProfiles(queues).flatMap((p) => p.reasons.map((r) => r.reason)));
// One surge a weekday after the calm month (which ends on a Wednesday with the default 30
// days), each ×3 for two hours, at different times and reasons, while their queues are open.
const planted: Array<Surge & { end: number }> = [
  ['payment failed', 0, '10:00'],
  ['delivery', 1, '15:00'],
  ['account change', 2, '11:00'],
  ['cancellation', 5, '13:30'],
  ['new order', 6, '19:00'],
]
  .filter(([reason]) => known.has(String(reason)))
  .map(([reason, day, at]) => {
    const s = parseSurge(`${reason}:3:${new Date(calmTo + Number(day) * DAY).toISOString().slice(0, 10)}T${at}`);
    return { ...s, end: s.start + 2 * 3_600_000 };
  });
const totalDays = BASELINE_DAYS + calmDays + 7;

const dir = mkdtempSync(join(tmpdir(), 'callcast-bench-alerts-'));
const store = await openStore({ kind: 'embedded', dataDir: dir, database: 'default' });
try {
  await migrate(store.client);
  let t = performance.now();
  const events = await seed(store, { days: totalDays, queues, seed: Number(values.seed), start, surges: planted });
  const seedS = (performance.now() - t) / 1000;

  const evaluator = new AlertEvaluator({ client: store.client, periodMs });
  t = performance.now();
  // How close the calm month came to a surge alert: the smallest p ÷ threshold of any window.
  let closest = { margin: Infinity, at: '', queue: '', reason: '', window_min: 0, observed: 0, expected: 0 };
  const calm = await replay(evaluator, calmFrom, calmTo - periodMs, periodMs, (step) => {
    for (const c of step.conditions) {
      if (c.rule !== 'surge') continue;
      const v = c.value as {
        p_threshold: number;
        windows: Array<{ window_min: number; observed: number; expected: number; p_value: number }>;
      };
      for (const w of v.windows) {
        const margin = w.p_value / v.p_threshold;
        if (margin < closest.margin)
          closest = {
            margin,
            at: step.at,
            queue: c.queue,
            reason: c.subject,
            window_min: w.window_min,
            observed: w.observed,
            expected: w.expected,
          };
      }
    }
  });
  const calmS = (performance.now() - t) / 1000;
  const evaluations = Math.floor((calmTo - calmFrom) / periodMs);
  const opened = calm.filter((c) => c.change === 'opened');
  const byRule: Record<string, number> = {};
  for (const c of opened) byRule[c.episode.rule] = (byRule[c.episode.rule] ?? 0) + 1;

  // Each planted surge on its own: replay from an hour before to three hours after onset.
  const detections = [];
  for (const s of planted) {
    const changes = await replay(
      new AlertEvaluator({ client: store.client, periodMs }),
      s.start - 3_600_000,
      s.start + 3 * 3_600_000,
    );
    const surgeAlerts = changes.filter((c) => c.episode.rule === 'surge');
    const forReason = surgeAlerts.filter((c) => c.episode.subject === s.reason);
    const queuesHit = [...new Set(forReason.filter((c) => c.change === 'opened').map((c) => c.episode.queue))];
    detections.push({
      reason: s.reason,
      onset: new Date(s.start).toISOString(),
      detected: queuesHit.map((queue) => {
        const open = forReason.find((c) => c.change === 'opened' && c.episode.queue === queue)!;
        const resolved = forReason.find((c) => c.change === 'resolved' && c.episode.queue === queue);
        return {
          queue,
          minutes_after_onset: (open.at - s.start) / 60_000,
          resolved_minutes_after_end: resolved ? (resolved.at - s.end) / 60_000 : null,
          message: open.episode.message,
        };
      }),
      other_surge_alerts: surgeAlerts
        .filter((c) => c.change === 'opened' && c.episode.subject !== s.reason)
        .map((c) => c.episode.message),
    });
  }

  console.log(
    JSON.stringify(
      {
        queues,
        period_min: periodMs / 60_000,
        seed: Number(values.seed),
        events,
        seed_s: Math.round(seedS),
        calm: {
          from: new Date(calmFrom).toISOString(),
          to: new Date(calmTo).toISOString(),
          days: calmDays,
          evaluations,
          evaluation_ms_mean: Math.round((calmS * 1000) / evaluations),
          episodes_by_rule: byRule,
          closest_to_a_surge_alert: { ...closest, p_over_threshold: closest.margin },
          surge_false_alarms: opened
            .filter((c) => c.episode.rule === 'surge')
            .map((c) => ({
              at: new Date(c.at).toISOString(),
              message: c.episode.message,
              p_value: c.episode.opened_value.p_value,
            })),
        },
        planted: detections,
      },
      null,
      2,
    ),
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
