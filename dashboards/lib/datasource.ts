// The data sources the dashboards read, and a typed query for Grafana's official ClickHouse
// plugin (grafana-clickhouse-datasource, v4): the SDK ships builders for core data sources only,
// so this follows its documented recipe for a third-party query type.
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';

export const CLICKHOUSE_PLUGIN = 'grafana-clickhouse-datasource';
/** Fixed uids so provisioning, `callcast dashboards push` and the dashboards agree. */
export const CLICKHOUSE_UID = 'callcast-clickhouse';
export const PROMETHEUS_UID = 'callcast-prometheus';

export const clickhouse: DataSourceRef = { type: CLICKHOUSE_PLUGIN, uid: CLICKHOUSE_UID };
export const prometheus: DataSourceRef = { type: 'prometheus', uid: PROMETHEUS_UID };

/** The plugin's result shapes (sqlutil.FormatQueryOption): time series are pivoted long → wide by string columns. */
export type ResultFormat = 'timeseries' | 'table';
const FORMAT_CODE: Record<ResultFormat, number> = { timeseries: 0, table: 1 };

export interface ClickHouseQuery {
  refId?: string;
  hide?: boolean;
  datasource: DataSourceRef;
  editorType: 'sql';
  queryType: 'timeseries' | 'table';
  format: number;
  rawSql: string;
  _implementsDataqueryVariant(): void;
}

export class ClickHouseQueryBuilder implements Builder<Dataquery> {
  private readonly query: ClickHouseQuery;

  constructor(rawSql: string, format: ResultFormat = 'table') {
    this.query = {
      datasource: clickhouse,
      editorType: 'sql',
      queryType: format === 'timeseries' ? 'timeseries' : 'table',
      format: FORMAT_CODE[format],
      rawSql: rawSql.trim(),
      _implementsDataqueryVariant() {},
    };
  }

  refId(refId: string): this {
    this.query.refId = refId;
    return this;
  }

  build(): ClickHouseQuery {
    return this.query;
  }
}

/** A PromQL query on the Prometheus that scrapes the service's /metrics (Kafka lag lives there). */
export class PromQueryBuilder implements Builder<Dataquery> {
  private readonly query: {
    refId?: string;
    datasource: DataSourceRef;
    expr: string;
    legendFormat: string;
    _implementsDataqueryVariant(): void;
  };

  constructor(expr: string, legendFormat: string) {
    this.query = { datasource: prometheus, expr, legendFormat, _implementsDataqueryVariant() {} };
  }

  refId(refId: string): this {
    this.query.refId = refId;
    return this;
  }

  build() {
    return this.query;
  }
}
