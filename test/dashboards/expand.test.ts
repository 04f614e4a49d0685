// The test expander must expand exactly as grafana-clickhouse-datasource does: the expected
// strings are the plugin's own test cases (pkg/macros/macros_test.go, v4) and Grafana's
// documented variable formats.
import { describe, expect, it } from 'vitest';
import { expandMacros, expandPanelSql, expandVariables } from './expand.js';

const from = Date.parse('2014-11-12T11:45:26.123Z');
const to = Date.parse('2015-11-12T11:45:26.456Z');
const ctx = { fromMs: from, toMs: to, intervalMs: 20_000 };

describe('plugin macros', () => {
  it.each([
    [
      'select * from foo where $__timeFilter(cast(sth as timestamp))',
      'select * from foo where cast(sth as timestamp) >= toDateTime(1415792726) AND cast(sth as timestamp) <= toDateTime(1447328726)',
    ],
    [
      'select * from foo where $__timeFilter_ms(cast(sth as timestamp))',
      'select * from foo where cast(sth as timestamp) >= fromUnixTimestamp64Milli(1415792726123) AND cast(sth as timestamp) <= fromUnixTimestamp64Milli(1447328726456)',
    ],
    [
      'select * from foo where ( date >= $__fromTime and date <= $__toTime ) limit 100',
      'select * from foo where ( date >= toDateTime(1415792726) and date <= toDateTime(1447328726) ) limit 100',
    ],
    [
      'select * from foo where ( date >= $__fromTime_ms ) and ( date <= $__toTime_ms ) limit 100',
      'select * from foo where ( date >= fromUnixTimestamp64Milli(1415792726123) ) and ( date <= fromUnixTimestamp64Milli(1447328726456) ) limit 100',
    ],
    ['select $__timeInterval(col) from foo', 'select toStartOfInterval(toDateTime(col), INTERVAL 20 second) from foo'],
    [
      'select $__timeInterval_ms(col) from foo',
      'select toStartOfInterval(toDateTime64(col, 3), INTERVAL 20000 millisecond) from foo',
    ],
    [
      'select toStartOfInterval(col, INTERVAL $__interval_s second) AS time from foo',
      'select toStartOfInterval(col, INTERVAL 20 second) AS time from foo',
    ],
    ['where $__dateFilter(dateCol)', "where dateCol >= toDate('2014-11-12') AND dateCol <= toDate('2015-11-12')"],
  ])('%s', (input, output) => {
    expect(expandMacros(input, ctx)).toBe(output);
  });

  it('an interval under a second becomes 1 second, as in the plugin', () => {
    expect(expandMacros('$__interval_s', { ...ctx, intervalMs: 200 })).toBe('1');
  });

  it('refuses a macro it does not know, and a wrong argument count', () => {
    expect(() => expandMacros('$__unknown', ctx)).toThrow('unknown macro $__unknown');
    expect(() => expandMacros('$__timeFilter(a, b)', ctx)).toThrow('expected 1 argument, received 2');
  });
});

describe('template variables', () => {
  it('singlequote quotes each value and escapes quotes; the plugin joins a plain multi-value as a quoted list', () => {
    const vars = { queue: ['billing', "o'brien"], tz: 'Europe/London' };
    expect(expandVariables('queue IN (${queue:singlequote})', vars)).toBe("queue IN ('billing','o\\'brien')");
    expect(expandVariables('queue IN ($queue)', { queue: ['a', 'b'] })).toBe("queue IN ('a','b')");
    expect(expandVariables('queue IN ([[queue]])', { queue: ['a', 'b'] })).toBe("queue IN ('a','b')");
    expect(expandVariables("toDateTime(q, '${tz}')", vars)).toBe("toDateTime(q, 'Europe/London')");
    expect(expandVariables('${tz:singlequote}', vars)).toBe("'Europe/London'");
  });

  it("leaves unknown variables and the backend's $__ macros for later", () => {
    expect(expandVariables('$nope ${nope} $__fromTime', {})).toBe('$nope ${nope} $__fromTime');
  });

  it('variables first, then macros', () => {
    expect(
      expandPanelSql('WHERE $__timeFilter(t) AND q IN (${queue:singlequote})', {
        ...ctx,
        variables: { queue: 'billing' },
      }),
    ).toBe("WHERE t >= toDateTime(1415792726) AND t <= toDateTime(1447328726) AND q IN ('billing')");
  });
});
