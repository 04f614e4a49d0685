// Small factories over the SDK's panel builders so every dashboard sets units, thresholds and
// colours the same way, and every ClickHouse query is recorded with the columns its panel reads
// (the test runs each recorded query and checks those columns).
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import {
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  ReduceDataOptionsBuilder,
  StackingConfigBuilder,
  TableCellBackgroundDisplayMode,
  TableCellDisplayMode,
  TableCellHeight,
  TableSortByFieldStateBuilder,
  VisibilityMode,
  VizOrientation,
  type GraphDrawStyle,
  type StackingMode,
} from '@grafana/grafana-foundation-sdk/common';
import {
  FieldColorBuilder,
  FieldColorModeId,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type DynamicConfigValue,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { ClickHouseQueryBuilder, type ResultFormat } from './datasource.js';

export type ColumnKind = 'time' | 'number' | 'string';

/** One ClickHouse query of one panel, as the test needs it. */
export interface RecordedQuery {
  dashboard: string;
  panel: string;
  refId: string;
  sql: string;
  format: ResultFormat;
  /** Every column the query returns, by the kind of Grafana field it becomes. */
  columns: Record<string, ColumnKind>;
}

export interface QuerySpec {
  sql: string;
  format?: ResultFormat;
  columns: Record<string, ColumnKind>;
}

/** Collects the queries of one dashboard while its panels are built. */
export class QueryCatalog {
  readonly queries: RecordedQuery[] = [];
  constructor(readonly dashboard: string) {}

  target(panel: string, spec: QuerySpec, refId = 'A'): Builder<Dataquery> {
    const format = spec.format ?? 'table';
    this.queries.push({ dashboard: this.dashboard, panel, refId, sql: spec.sql.trim(), format, columns: spec.columns });
    return new ClickHouseQueryBuilder(spec.sql, format).refId(refId);
  }
}

type Step = [color: string, from: number | null];

/** Absolute thresholds: the first step's value is the base (null). */
export function steps(...list: Step[]) {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(list.map(([color, value]) => ({ color, value })));
}

/** Service level: red below 70 %, amber below the default 80 % target, green at or above it. */
export const SL_STEPS = () => steps(['red', null], ['orange', 0.7], ['green', 0.8]);
/** Abandon rate: green under 5 %, amber to 10 %, red above. */
export const ABANDON_STEPS = () => steps(['green', null], ['orange', 0.05], ['red', 0.1]);
/** Waits in seconds against the default 20 s threshold. */
export const WAIT_STEPS = () => steps(['green', null], ['orange', 20], ['red', 60]);
export const NPS_STEPS = () => steps(['red', null], ['orange', 0], ['green', 30]);
export const PCT_GOOD_STEPS = () => steps(['red', null], ['orange', 0.7], ['green', 0.8]);

const byThresholds = () => new FieldColorBuilder().mode(FieldColorModeId.Thresholds);
const classic = () => new FieldColorBuilder().mode(FieldColorModeId.PaletteClassic);

export interface FieldStyle {
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: ReturnType<typeof steps>;
  displayName?: string;
  color?: string;
  /** Any other field property, e.g. custom.fillBelowTo for a prediction band. */
  extra?: DynamicConfigValue[];
}

/** Per-field settings as Grafana override properties. */
export function fieldProps(style: FieldStyle): DynamicConfigValue[] {
  const props: DynamicConfigValue[] = [];
  if (style.unit) props.push({ id: 'unit', value: style.unit });
  if (style.decimals !== undefined) props.push({ id: 'decimals', value: style.decimals });
  if (style.min !== undefined) props.push({ id: 'min', value: style.min });
  if (style.max !== undefined) props.push({ id: 'max', value: style.max });
  if (style.displayName) props.push({ id: 'displayName', value: style.displayName });
  if (style.thresholds) {
    props.push({ id: 'thresholds', value: style.thresholds.build() });
    props.push({ id: 'color', value: { mode: FieldColorModeId.Thresholds } });
  }
  if (style.color) props.push({ id: 'color', value: { mode: FieldColorModeId.Fixed, fixedColor: style.color } });
  props.push(...(style.extra ?? []));
  return props;
}

interface Common {
  title: string;
  description?: string;
  w: number;
  h: number;
  fields?: Record<string, FieldStyle>;
}

export function statPanel(
  cat: QueryCatalog,
  o: Common & {
    query: QuerySpec;
    unit?: string;
    decimals?: number;
    thresholds?: ReturnType<typeof steps>;
    repeat?: string;
  },
) {
  const p = new stat.PanelBuilder()
    .title(o.title)
    .description(o.description ?? '')
    .span(o.w)
    .height(o.h)
    .withTarget(cat.target(o.title, o.query))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).fields('').values(false))
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .textMode(BigValueTextMode.ValueAndName)
    .colorScheme(
      o.thresholds ? byThresholds() : new FieldColorBuilder().mode(FieldColorModeId.Fixed).fixedColor('blue'),
    )
    .thresholds(o.thresholds ?? steps(['blue', null]));
  if (o.unit) p.unit(o.unit);
  if (o.decimals !== undefined) p.decimals(o.decimals);
  for (const [name, style] of Object.entries(o.fields ?? {})) p.overrideByName(name, fieldProps(style));
  return p;
}

export function seriesPanel(
  cat: QueryCatalog,
  o: Common & {
    queries: QuerySpec[];
    unit: string;
    decimals?: number;
    min?: number;
    max?: number;
    draw?: GraphDrawStyle;
    stack?: StackingMode;
    fill?: number;
    thresholds?: ReturnType<typeof steps>;
    showThresholds?: boolean;
  },
) {
  const p = new timeseries.PanelBuilder()
    .title(o.title)
    .description(o.description ?? '')
    .span(o.w)
    .height(o.h)
    .unit(o.unit)
    .colorScheme(classic())
    .lineWidth(2)
    .fillOpacity(o.fill ?? 10)
    .spanNulls(false)
    .showPoints(VisibilityMode.Never);
  o.queries.forEach((q, i) =>
    p.withTarget(cat.target(o.title, { format: 'timeseries', ...q }, String.fromCharCode(65 + i))),
  );
  if (o.decimals !== undefined) p.decimals(o.decimals);
  if (o.min !== undefined) p.min(o.min);
  if (o.max !== undefined) p.max(o.max);
  if (o.draw) p.drawStyle(o.draw);
  if (o.stack) p.stacking(new StackingConfigBuilder().mode(o.stack).group('A'));
  if (o.thresholds) p.thresholds(o.thresholds);
  if (o.showThresholds)
    p.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  for (const [name, style] of Object.entries(o.fields ?? {})) p.overrideByName(name, fieldProps(style));
  return p;
}

export function tablePanel(
  cat: QueryCatalog,
  o: Common & { query: QuerySpec; sortBy?: string; heat?: { unit: string; decimals: number } },
) {
  const p = new table.PanelBuilder()
    .title(o.title)
    .description(o.description ?? '')
    .span(o.w)
    .height(o.h)
    .withTarget(cat.target(o.title, o.query))
    .cellHeight(TableCellHeight.Sm);
  if (o.heat) {
    // A heatmap as a table: every number cell coloured on one green→red scale.
    p.colorScheme(new FieldColorBuilder().mode(FieldColorModeId.ContinuousGrYlRd))
      .unit(o.heat.unit)
      .decimals(o.heat.decimals)
      .cellOptions({ type: TableCellDisplayMode.ColorBackground, mode: TableCellBackgroundDisplayMode.Gradient });
  }
  if (o.sortBy) p.sortBy([new TableSortByFieldStateBuilder().displayName(o.sortBy).desc(false)]);
  for (const [name, style] of Object.entries(o.fields ?? {})) {
    const props = fieldProps(style);
    // Coloured cells wherever a field has thresholds, so a manager sees red at a glance.
    if (style.thresholds) props.push({ id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } });
    p.overrideByName(name, props);
  }
  return p;
}

export function barGaugePanel(cat: QueryCatalog, o: Common & { query: QuerySpec; unit?: string }) {
  const p = new bargauge.PanelBuilder()
    .title(o.title)
    .description(o.description ?? '')
    .span(o.w)
    .height(o.h)
    .withTarget(cat.target(o.title, o.query))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).fields('').values(false))
    .displayMode(BarGaugeDisplayMode.Basic)
    .orientation(VizOrientation.Horizontal)
    .min(0);
  if (o.unit) p.unit(o.unit);
  for (const [name, style] of Object.entries(o.fields ?? {})) p.overrideByName(name, fieldProps(style));
  return p;
}
