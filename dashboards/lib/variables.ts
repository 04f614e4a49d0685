// Dashboard variables: queue (from the store), channel and the time zone the half-hours and days
// are cut in. Queue and channel are multi-value with "All"; panels use ${queue:singlequote}.
import {
  CustomVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { clickhouse } from './datasource.js';

/** Every queue seen in contacts or configured (the same list as GET /v1/queues). */
export const QUEUE_LIST_SQL =
  "SELECT queue FROM (SELECT queue FROM queues_seen UNION DISTINCT SELECT queue FROM queue_settings) WHERE queue != '' ORDER BY queue";

export const CHANNELS = ['voice', 'chat', 'email', 'messaging'] as const;
export const TIME_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Shanghai',
  'Asia/Kolkata',
  'Australia/Sydney',
] as const;

export function queueVariable(multi = true) {
  return new QueryVariableBuilder('queue')
    .label('Queue')
    .datasource(clickhouse)
    .query({ refId: 'queues', editorType: 'sql', queryType: 'table', format: 1, rawSql: QUEUE_LIST_SQL })
    .definition(QUEUE_LIST_SQL)
    .refresh(VariableRefresh.OnDashboardLoad)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(multi)
    .includeAll(true)
    .current({ text: 'All', value: '$__all' });
}

export function channelVariable() {
  return new CustomVariableBuilder('channel')
    .label('Channel')
    .values(CHANNELS.join(','))
    .multi(true)
    .includeAll(true)
    .current({ text: 'All', value: '$__all' });
}

export function timeZoneVariable() {
  return new CustomVariableBuilder('tz')
    .label('Time zone (half-hours, days)')
    .description('IANA time zone in which half-hours and days are cut')
    .values(TIME_ZONES.join(','))
    .allowCustomValue(true)
    .current({ text: 'UTC', value: 'UTC' });
}
