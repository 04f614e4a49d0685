// Pipeline health: rows ingested per second by raw table and source, how long events take to
// land, dead letters by reason, and Kafka consumer lag (a Prometheus metric of the service).
import { GraphDrawStyle, StackingMode } from '@grafana/grafana-foundation-sdk/common';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { callcastDashboard, type BuiltDashboard } from './lib/dashboard.js';
import { PromQueryBuilder } from './lib/datasource.js';
import { QueryCatalog, seriesPanel, statPanel, steps, tablePanel } from './lib/panels.js';

export const UID = 'callcast-pipeline';

const RAW_TABLES = ['contact_events', 'survey_events', 'agent_state_events'] as const;

/** Rows written per second (redeliveries included: raw tables collapse duplicates only at merge). */
export const INGEST_RATE_SQL = `
SELECT $__timeInterval(_ingested_at) AS time, table, count() / $__interval_s AS rows_per_s
FROM (
  ${RAW_TABLES.map((t) => `SELECT _ingested_at, '${t}' AS table FROM ${t} WHERE $__timeFilter(_ingested_at)`).join('\n  UNION ALL\n  ')}
)
GROUP BY time, table ORDER BY time, table`;

export const BY_SOURCE_SQL = `
SELECT _source AS source, table, count() AS rows, max(_ingested_at) AS last_ingested_at
FROM (
  ${RAW_TABLES.map((t) => `SELECT _source, _ingested_at, '${t}' AS table FROM ${t} WHERE $__timeFilter(_ingested_at)`).join('\n  UNION ALL\n  ')}
)
GROUP BY source, table ORDER BY rows DESC`;

/** Seconds from occurred_at to stored, contact events: median and 95th percentile per bucket. */
export const INGEST_DELAY_SQL = `
SELECT $__timeInterval(_ingested_at) AS time,
  quantile(0.5)(dateDiff('millisecond', occurred_at, _ingested_at) / 1000) AS p50_delay_s,
  quantile(0.95)(dateDiff('millisecond', occurred_at, _ingested_at) / 1000) AS p95_delay_s
FROM contact_events
WHERE $__timeFilter(_ingested_at)
GROUP BY time ORDER BY time`;

export const FRESHNESS_SQL = `
SELECT dateDiff('millisecond', max(_ingested_at), now64(3)) / 1000 AS since_last_event_s
FROM contact_events WHERE _ingested_at > now64(3) - INTERVAL 7 DAY`;

const REASON = `if(position(error, ':') > 0, substring(error, 1, position(error, ':') - 1), error)`;

/** The part of the error before ":" names the field or check that failed. */
export const DEAD_LETTERS_SQL = `
SELECT $__timeInterval(received_at) AS time, ${REASON} AS reason, count() AS dead_letters
FROM dead_letters FINAL
WHERE $__timeFilter(received_at)
GROUP BY time, reason ORDER BY time, reason`;

export const LATEST_DEAD_LETTERS_SQL = `
SELECT received_at, ${REASON} AS reason, error, type, _source AS source, _topic AS topic, _partition AS partition, _offset AS offset,
  substring(raw, 1, 200) AS raw_start
FROM dead_letters FINAL
WHERE $__timeFilter(received_at)
ORDER BY received_at DESC LIMIT 100`;

export function pipelineDashboard(): BuiltDashboard {
  const cat = new QueryCatalog(UID);
  const b = callcastDashboard(UID, 'Callcast · Pipeline health', {
    from: 'now-6h',
    to: 'now',
    refresh: '30s',
    variables: [],
    description: 'Ingestion into the raw tables, dead letters, and Kafka consumer lag.',
  });
  b.withPanel(
    seriesPanel(cat, {
      title: 'Ingest rate by table',
      w: 12,
      h: 8,
      unit: 'rowsps',
      min: 0,
      stack: StackingMode.Normal,
      queries: [{ sql: INGEST_RATE_SQL, columns: { time: 'time', table: 'string', rows_per_s: 'number' } }],
    }),
  );
  b.withPanel(
    statPanel(cat, {
      title: 'Since the last contact event was stored',
      w: 4,
      h: 8,
      unit: 's',
      decimals: 0,
      thresholds: steps(['green', null], ['orange', 60], ['red', 300]),
      query: { sql: FRESHNESS_SQL, columns: { since_last_event_s: 'number' } },
    }),
  );
  b.withPanel(
    tablePanel(cat, {
      title: 'Rows by source',
      w: 8,
      h: 8,
      query: {
        sql: BY_SOURCE_SQL,
        columns: { source: 'string', table: 'string', rows: 'number', last_ingested_at: 'time' },
      },
    }),
  );
  b.withPanel(
    seriesPanel(cat, {
      title: 'Delay from event to store',
      w: 12,
      h: 8,
      unit: 's',
      min: 0,
      thresholds: steps(['green', null], ['orange', 5], ['red', 30]),
      showThresholds: true,
      description: 'occurred_at → _ingested_at for contact events: network, Kafka and batching together.',
      queries: [{ sql: INGEST_DELAY_SQL, columns: { time: 'time', p50_delay_s: 'number', p95_delay_s: 'number' } }],
    }),
  );
  b.withPanel(
    new timeseries.PanelBuilder()
      .title('Kafka consumer lag')
      .description(
        "callcast_kafka_consumer_lag (messages behind the high watermark) from the service's /metrics, scraped by Prometheus.",
      )
      .span(12)
      .height(8)
      .unit('short')
      .min(0)
      .thresholds(steps(['green', null], ['orange', 10_000], ['red', 100_000]))
      .withTarget(new PromQueryBuilder('sum by (topic) (callcast_kafka_consumer_lag)', '{{topic}}').refId('A')),
  );
  b.withPanel(
    seriesPanel(cat, {
      title: 'Dead letters by reason',
      w: 12,
      h: 8,
      unit: 'short',
      min: 0,
      draw: GraphDrawStyle.Bars,
      stack: StackingMode.Normal,
      fill: 80,
      queries: [{ sql: DEAD_LETTERS_SQL, columns: { time: 'time', reason: 'string', dead_letters: 'number' } }],
    }),
  );
  b.withPanel(
    tablePanel(cat, {
      title: 'Latest dead letters',
      w: 12,
      h: 8,
      query: {
        sql: LATEST_DEAD_LETTERS_SQL,
        columns: {
          received_at: 'time',
          reason: 'string',
          error: 'string',
          type: 'string',
          source: 'string',
          topic: 'string',
          partition: 'number',
          offset: 'number',
          raw_start: 'string',
        },
      },
    }),
  );
  return { uid: UID, dashboard: b.build(), queries: cat.queries };
}
