// Charts drawn on the server as SVG strings (ECharts server-side rendering), inlined in the
// HTML report: no script, no external asset.
import * as echarts from 'echarts';
import { FONT_STACK, reportWords, type ReportWords } from './i18n.js';
import type { VocReport } from './types.js';

const FONT = FONT_STACK;
const EN = reportWords('en');

function render(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    // Inline SVG in HTML needs no namespace declarations; leaving them out keeps every URL out of the page.
    return chart
      .renderToSVGString()
      .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
      .replace(/\s+baseProfile="[^"]*"/, '');
  } finally {
    chart.dispose();
  }
}

const round = (x: number | null, digits = 1) => (x === null ? null : Number(x.toFixed(digits)));

/** NPS, CSAT, survey FCR and repeat-contact FCR over the trend weeks. */
export function trendChart(report: VocReport, t: ReportWords = EN): string {
  const weeks = report.trend.map((w) => w.week.slice(5));
  return render(
    {
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: weeks },
      yAxis: [
        { type: 'value', name: 'NPS', min: -100, max: 100 },
        { type: 'value', name: '%', min: 0, max: 100 },
      ],
      series: [
        { name: 'NPS', type: 'line', yAxisIndex: 0, data: report.trend.map((w) => round(w.nps)), connectNulls: false },
        { name: t.chart.csat, type: 'line', yAxisIndex: 1, data: report.trend.map((w) => round(w.csat_pct)) },
        {
          name: t.chart.fcrSurvey,
          type: 'line',
          yAxisIndex: 1,
          data: report.trend.map((w) => round(w.fcr_survey === null ? null : 100 * w.fcr_survey)),
        },
        {
          name: t.chart.fcrRepeat,
          type: 'line',
          yAxisIndex: 1,
          data: report.trend.map((w) => round(w.fcr_repeat === null ? null : 100 * w.fcr_repeat)),
        },
      ],
    },
    720,
    280,
  );
}

/** Contacts per reason this week against the expected level. */
export function reasonsChart(report: VocReport, t: ReportWords = EN): string {
  const reasons = [...report.reasons].reverse();
  return render(
    {
      legend: { top: 0 },
      grid: { left: 130, right: 24, top: 30, bottom: 24 },
      yAxis: { type: 'category', data: reasons.map((r) => r.reason) },
      xAxis: { type: 'value' },
      series: [
        { name: t.chart.offered, type: 'bar', data: reasons.map((r) => r.offered) },
        { name: t.chart.expected, type: 'bar', data: reasons.map((r) => round(r.expected)) },
      ],
    },
    720,
    Math.max(140, 60 + 34 * reasons.length),
  );
}
