// Expands a panel's SQL the way Grafana and grafana-clickhouse-datasource (v4) do before it
// reaches ClickHouse: first the frontend's template variables (templateSrv.replace with the
// plugin's format function: an array becomes 'a','b', a scalar stays as is; an explicit
// :singlequote format quotes each value, escaping ' as \'), then the backend's macros
// (pkg/macros/macros.go): $__timeFilter(c) → c >= toDateTime(s) AND c <= toDateTime(s),
// $__fromTime/$__toTime → toDateTime(unix seconds), the _ms forms → fromUnixTimestamp64Milli(ms),
// $__timeInterval(c) → toStartOfInterval(toDateTime(c), INTERVAL n second), $__interval_s → n.

export interface ExpandContext {
  fromMs: number;
  toMs: number;
  /** The panel's interval (Grafana's $__interval), ms. */
  intervalMs: number;
  variables: Record<string, string | string[]>;
}

const singleQuote = (v: string) => `'${v.replace(/'/g, "\\'")}'`;

function formatVariable(value: string | string[], format: string | undefined): string {
  if (format === 'singlequote') return (Array.isArray(value) ? value : [value]).map(singleQuote).join(',');
  if (format === 'csv') return (Array.isArray(value) ? value : [value]).join(',');
  if (format === 'raw' || format === undefined) return Array.isArray(value) ? `'${value.join("','")}'` : value;
  throw new Error(`variable format ${format} is not expanded by this test helper`);
}

export function expandVariables(sql: string, variables: ExpandContext['variables']): string {
  // ${name}, ${name:format}, $name and [[name]] — Grafana's three variable syntaxes. $__… are left to the backend.
  return sql.replace(/\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)(?::(\w+))?\]\]|\$(?!__)(\w+)/g, (whole, n1, f1, n2, f2, n3) => {
    const name = (n1 ?? n2 ?? n3) as string;
    const value = variables[name];
    if (value === undefined) return whole; // Grafana leaves unknown variables as written.
    return formatVariable(value, (f1 ?? f2) as string | undefined);
  });
}

/** Arguments of a macro call starting at `open` (the index of its "("), split on top-level commas. */
function macroArgs(sql: string, open: number): { args: string[]; end: number } {
  let depth = 0;
  let start = open + 1;
  const args: string[] = [];
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) {
        args.push(sql.slice(start, i).trim());
        return { args, end: i + 1 };
      }
    } else if (ch === ',' && depth === 1) {
      args.push(sql.slice(start, i).trim());
      start = i + 1;
    }
  }
  throw new Error(`unbalanced parentheses in macro at ${open}`);
}

const dateTime = (ms: number) => `toDateTime(${Math.floor(ms / 1000)})`;
const dateTime64 = (ms: number) => `fromUnixTimestamp64Milli(${ms})`;
const date = (ms: number) => `toDate('${new Date(ms).toISOString().slice(0, 10)}')`;

export function expandMacros(sql: string, ctx: Omit<ExpandContext, 'variables'>): string {
  const seconds = Math.max(Math.floor(ctx.intervalMs / 1000), 1);
  const one = (name: string, args: string[]) => {
    if (args.length !== 1) throw new Error(`$__${name}: expected 1 argument, received ${args.length}`);
    return args[0]!;
  };
  const withArgs: Record<string, (args: string[]) => string> = {
    timeFilter: (a) =>
      `${one('timeFilter', a)} >= ${dateTime(ctx.fromMs)} AND ${one('timeFilter', a)} <= ${dateTime(ctx.toMs)}`,
    timeFilter_ms: (a) =>
      `${one('timeFilter_ms', a)} >= ${dateTime64(ctx.fromMs)} AND ${one('timeFilter_ms', a)} <= ${dateTime64(ctx.toMs)}`,
    dateFilter: (a) =>
      `${one('dateFilter', a)} >= ${date(ctx.fromMs)} AND ${one('dateFilter', a)} <= ${date(ctx.toMs)}`,
    timeInterval: (a) => `toStartOfInterval(toDateTime(${one('timeInterval', a)}), INTERVAL ${seconds} second)`,
    timeInterval_ms: (a) =>
      `toStartOfInterval(toDateTime64(${one('timeInterval_ms', a)}, 3), INTERVAL ${Math.max(ctx.intervalMs, 1)} millisecond)`,
  };
  const plain: Record<string, () => string> = {
    fromTime: () => dateTime(ctx.fromMs),
    toTime: () => dateTime(ctx.toMs),
    fromTime_ms: () => dateTime64(ctx.fromMs),
    toTime_ms: () => dateTime64(ctx.toMs),
    interval_s: () => String(seconds),
  };
  let out = '';
  let i = 0;
  const re = /\$__(\w+)/g;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    const name = m[1]!;
    out += sql.slice(i, m.index);
    const after = m.index + m[0].length;
    if (withArgs[name] && sql[after] === '(') {
      const { args, end } = macroArgs(sql, after);
      out += withArgs[name](args);
      i = end;
    } else if (plain[name]) {
      out += plain[name]();
      i = after;
    } else {
      throw new Error(`unknown macro $__${name}`);
    }
    re.lastIndex = i;
  }
  return out + sql.slice(i);
}

export function expandPanelSql(sql: string, ctx: ExpandContext): string {
  return expandMacros(expandVariables(sql, ctx.variables), ctx);
}
