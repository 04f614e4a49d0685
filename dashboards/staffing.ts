// Staffing: agents required (Erlang, latest run) against the agents the solved shift plan puts
// on, the service level the requirement expects, and each plan's coverage per week.
import { CHANNELS, QUEUES } from './lib/contacts-sql.js';
import { callcastDashboard, type BuiltDashboard } from './lib/dashboard.js';
import { LATEST_RUNS } from './lib/forecast-sql.js';
import { QueryCatalog, SL_STEPS, seriesPanel, steps, tablePanel } from './lib/panels.js';

export const UID = 'callcast-staffing';

export const REQUIRED_SQL = `
SELECT interval_start AS time, sum(required) AS required, sum(scheduled_needed) AS scheduled_needed
FROM staffing_requirements
WHERE queue IN (${QUEUES}) AND channel IN (${CHANNELS}) AND $__timeFilter(interval_start) AND ${LATEST_RUNS}
GROUP BY time ORDER BY time`;

/** Agents each queue's latest solved plan puts on per half-hour (its coverage rows). */
export const PLANNED_SQL = `
SELECT parseDateTimeBestEffort(cov.1) AS time, sum(cov.3) AS planned
FROM shift_plans FINAL
ARRAY JOIN JSONExtract(plan, 'coverage', 'Array(Tuple(interval_start String, required Int64, scheduled Int64))') AS cov
WHERE queue IN (${QUEUES}) AND parseDateTimeBestEffort(cov.1) >= $__fromTime AND parseDateTimeBestEffort(cov.1) <= $__toTime
GROUP BY time ORDER BY time`;

/** Expected service level per queue and half-hour, weighted by forecast volume over channels. */
export const EXPECTED_SL_SQL = `
SELECT interval_start AS time, queue, sum(expected_sl * volume) / nullIf(sum(volume), 0) AS expected_sl
FROM staffing_requirements
WHERE queue IN (${QUEUES}) AND channel IN (${CHANNELS}) AND $__timeFilter(interval_start) AND ${LATEST_RUNS}
GROUP BY time, queue ORDER BY time, queue`;

export const PLAN_COVERAGE_SQL = `
SELECT queue, week, run_id, solved_at,
  JSONExtractUInt(plan, 'agentsStarted') AS agents_started,
  JSONExtractBool(plan, 'optimal') AS optimal,
  arraySum(arrayMap(c -> c.2, cov)) AS required_agent_half_hours,
  arraySum(arrayMap(c -> least(c.2, c.3), cov)) / nullIf(arraySum(arrayMap(c -> c.2, cov)), 0) AS coverage,
  arrayCount(c -> c.3 < c.2, cov) AS understaffed_half_hours,
  arraySum(arrayMap(c -> greatest(c.2 - c.3, 0), cov)) AS missing_agent_half_hours,
  arraySum(arrayMap(c -> greatest(c.3 - c.2, 0), cov)) AS surplus_agent_half_hours
FROM (
  SELECT queue, week, run_id, solved_at, plan,
    JSONExtract(plan, 'coverage', 'Array(Tuple(interval_start String, required Int64, scheduled Int64))') AS cov
  FROM shift_plans FINAL
  WHERE queue IN (${QUEUES}) AND week >= toMonday(toDate($__fromTime)) AND week <= toDate($__toTime)
)
ORDER BY week, queue`;

export function staffingDashboard(): BuiltDashboard {
  const cat = new QueryCatalog(UID);
  const b = callcastDashboard(UID, 'Callcast · Staffing', {
    from: 'now/w',
    to: 'now/w',
    refresh: '5m',
    variables: ['queue', 'channel'],
    description:
      'Agents required per half-hour (latest forecast run; Erlang A where the queue abandons, else Erlang C; grossed up by shrinkage) against the shift plan solved for the week.',
  });
  b.withPanel(
    seriesPanel(cat, {
      title: 'Agents: required vs planned',
      w: 24,
      h: 10,
      unit: 'short',
      min: 0,
      decimals: 0,
      description:
        'required: agents on the phones to meet the target; scheduled_needed: required ÷ (1 − shrinkage); planned: agents the solved shift plan has working (channel filter does not apply to plans).',
      queries: [
        { sql: REQUIRED_SQL, columns: { time: 'time', required: 'number', scheduled_needed: 'number' } },
        { sql: PLANNED_SQL, columns: { time: 'time', planned: 'number' } },
      ],
      fields: {
        required: { color: 'blue', displayName: 'Required' },
        scheduled_needed: { color: 'purple', displayName: 'Needed incl. shrinkage' },
        planned: {
          color: 'green',
          displayName: 'Planned (shift plan)',
          extra: [
            { id: 'custom.drawStyle', value: 'bars' },
            { id: 'custom.fillOpacity', value: 40 },
          ],
        },
      },
    }),
  );
  b.withPanel(
    seriesPanel(cat, {
      title: 'Expected service level when staffed as required',
      w: 12,
      h: 9,
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: SL_STEPS(),
      showThresholds: true,
      queries: [{ sql: EXPECTED_SL_SQL, columns: { time: 'time', queue: 'string', expected_sl: 'number' } }],
    }),
  );
  b.withPanel(
    tablePanel(cat, {
      title: 'Shift plan coverage by week',
      w: 12,
      h: 9,
      description: "coverage = Σ min(required, planned) ÷ Σ required over the week's half-hours (agent-half-hours).",
      query: {
        sql: PLAN_COVERAGE_SQL,
        columns: {
          queue: 'string',
          week: 'time',
          run_id: 'string',
          solved_at: 'time',
          agents_started: 'number',
          optimal: 'number',
          required_agent_half_hours: 'number',
          coverage: 'number',
          understaffed_half_hours: 'number',
          missing_agent_half_hours: 'number',
          surplus_agent_half_hours: 'number',
        },
      },
      fields: {
        coverage: {
          unit: 'percentunit',
          decimals: 1,
          thresholds: steps(['red', null], ['orange', 0.95], ['green', 0.99]),
          displayName: 'Coverage',
        },
        understaffed_half_hours: {
          thresholds: steps(['green', null], ['orange', 1], ['red', 10]),
          displayName: 'Understaffed half-hours',
        },
      },
    }),
  );
  return { uid: UID, dashboard: b.build(), queries: cat.queries };
}
