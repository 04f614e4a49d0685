// The report as one self-contained, printable HTML page: inline CSS, inline server-rendered
// SVG charts, no script and no external URL. Every figure carries its raw value in
// data-value (data-figure / data-field name it) so machines and tests can read it back.
// Every string from the data (reasons, queues, comments) is escaped: comments are hostile input.
import { reasonsChart, trendChart } from './charts.js';
import { escapeHtml as e, fixed, pValue, pct, seconds, signed } from './format.js';
import { FONT_STACK, reportWords, type ReportLang, type ReportWords } from './i18n.js';
import type { Headline, VocReport, Voice } from './types.js';

const CSS = `
body{font:14px/1.45 ${FONT_STACK};color:#1d2330;margin:24px auto;max-width:980px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5d9e2;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}.meta{color:#5a6275;margin:0}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}th,td{padding:4px 8px;border-bottom:1px solid #e6e9ef;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f4f6f9;font-weight:600}
.sig{font-weight:600;color:#a3261a}.ok{color:#1d7a3a}.miss{color:#a3261a;font-weight:600}.muted{color:#5a6275}
blockquote{margin:6px 0;padding:4px 10px;border-left:3px solid #c8cfdb;background:#f8f9fb}
.terms span{display:inline-block;margin:2px 6px 2px 0;padding:1px 6px;border-radius:3px;background:#eef1f6}
figure{margin:8px 0}svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none;font-size:11px}section{break-inside:avoid-page}h2{break-after:avoid}
th{background:none}blockquote,.terms span{background:none}@page{size:A4;margin:14mm}}
`;

const raw = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));
const cell = (field: string, value: number | null | undefined, text: string, cls = '') =>
  `<td data-field="${field}" data-value="${raw(value)}"${cls ? ` class="${cls}"` : ''}>${e(text)}</td>`;

function headlineRow(
  key: string,
  label: string,
  h: Headline,
  show: (x: number | null) => string,
  changeDigits: number,
  t: ReportWords,
): string {
  const ci = h.ci95 ? `${show(h.ci95[0])} – ${show(h.ci95[1])}` : '–';
  return (
    `<tr data-figure="${key}"><th>${e(label)}</th>${cell('value', h.value, show(h.value))}${cell('n', h.n, String(h.n))}<td>${e(ci)}</td>` +
    `${cell('previous', h.previous, show(h.previous))}${cell('previous_n', h.previous_n, String(h.previous_n))}` +
    `${cell('change', h.change, signed(h.change, changeDigits), h.significant ? 'sig' : '')}${cell('p_value', h.p_value, pValue(h.p_value))}` +
    `<td data-field="significant" data-value="${h.significant}">${h.significant ? t.yes : t.noise}</td></tr>`
  );
}

function voiceBlock(v: Voice, t: ReportWords): string {
  const terms =
    v.terms.length > 0
      ? `<p class="terms">${v.terms.map((t) => `<span data-term="${e(t.term)}" data-value="${t.z}">${e(t.term)} <span class="muted">(${t.count}, z ${fixed(t.z, 1)})</span></span>`).join('')}</p>`
      : `<p class="muted">${t.noTerms}</p>`;
  const quotes = v.comments
    .map(
      (c) =>
        `<blockquote>${e(c.text)} <span class="muted">— NPS ${c.nps ?? '–'}, CSAT ${c.csat ?? '–'}</span></blockquote>`,
    )
    .join('');
  return `<div data-voice="${e(v.reason)}"><h3>${e(v.reason)} <span class="muted">(<span data-field="comments_n" data-value="${v.comments_n}">${v.comments_n}</span> ${t.comments})</span></h3>${terms}${quotes}</div>`;
}

const head = (cols: readonly string[]) => `<tr>${cols.map((c) => `<th>${e(c)}</th>`).join('')}</tr>`;

/** The report as HTML in `lang` (the page's words; the data's own text stays as it is). */
export function renderHtml(r: VocReport, lang: ReportLang = 'en'): string {
  const t = reportWords(lang);
  const scope = r.queue === null ? t.allQueues : t.queue(r.queue);
  const h = r.headline;
  const headline = `<table><thead>${head(t.headlineCols)}</thead><tbody>
${headlineRow('nps', t.nps, h.nps, (x) => fixed(x, 1), 1, t)}
${headlineRow('csat_pct', t.csat, h.csat_pct, (x) => (x === null ? '–' : `${x.toFixed(1)} %`), 1, t)}
${headlineRow('fcr_survey', t.fcrSurvey, h.fcr_survey, (x) => pct(x), 3, t)}
${headlineRow('fcr_repeat', t.fcrRepeat, h.fcr_repeat, (x) => pct(x), 3, t)}
</tbody></table>
<p class="muted">${t.significanceNote} <span data-figure="fcr_repeat.pending" data-value="${h.fcr_repeat.pending}">${h.fcr_repeat.pending}</span>.</p>`;

  const trendRows = r.trend
    .map(
      (w) =>
        `<tr data-week="${e(w.week)}"><td>${e(w.week)}</td>${cell('offered', w.counts.offered, String(w.counts.offered))}` +
        `${cell('nps', w.nps, fixed(w.nps))}${cell('nps_n', w.counts.nps_n, String(w.counts.nps_n))}${cell('csat_pct', w.csat_pct, w.csat_pct === null ? '–' : `${w.csat_pct.toFixed(1)} %`)}` +
        `${cell('fcr_survey', w.fcr_survey, pct(w.fcr_survey))}${cell('fcr_repeat', w.fcr_repeat, pct(w.fcr_repeat))}${cell('aht_s', w.aht_s, seconds(w.aht_s))}` +
        `${cell('service_level', w.service_level.value, pct(w.service_level.value))}</tr>`,
    )
    .join('\n');

  const reasonRows = r.reasons
    .map(
      (x) =>
        `<tr data-reason="${e(x.reason)}"><td>${e(x.reason)}${x.surge ? ` <span class="sig">${t.surge}</span>` : ''}</td>` +
        `${cell('offered', x.offered, String(x.offered))}${cell('share', x.share, pct(x.share))}${cell('previous_offered', x.previous_offered, String(x.previous_offered))}` +
        `${cell('expected', x.expected, fixed(x.expected, 1))}${cell('p_adjusted', x.p_adjusted, pValue(x.p_adjusted))}` +
        `${cell('aht_s', x.aht_s, seconds(x.aht_s))}${cell('previous_aht_s', x.previous_aht_s, seconds(x.previous_aht_s))}` +
        `${cell('detractor_share', x.detractor_share, pct(x.detractor_share))}${cell('nps_n', x.nps_n, String(x.nps_n))}</tr>`,
    )
    .join('\n');

  const surges =
    r.surges.length === 0
      ? `<p data-figure="surges" data-value="0">${t.noSurge}</p>`
      : `<div data-figure="surges" data-value="${r.surges.length}">${r.surges.map((s) => `<div data-surge="${e(s.reason)}"><h3>${e(t.surgeLine(s.reason, s.offered, fixed(s.expected, 1), fixed(s.ratio, 2), pValue(s.p_adjusted)))}</h3>${s.voice ? voiceBlock(s.voice, t) : `<p class="muted">${t.noComments}</p>`}</div>`).join('')}</div>`;

  const slRows = r.service_level
    .map(
      (q) =>
        `<tr data-queue="${e(q.queue)}"><td>${e(q.queue)}</td>${cell('service_level', q.service_level.value, pct(q.service_level.value))}` +
        `${cell('sl_target', q.sl_target, pct(q.sl_target, 0))}<td>${q.threshold_s} s</td><td class="${q.met === false ? 'miss' : 'ok'}" data-field="met" data-value="${q.met}">${q.met === null ? '–' : q.met ? t.met : t.missed}</td>` +
        `${cell('offered', q.offered, String(q.offered))}<td>${e(q.missed_days.map((d) => `${d.date} (${pct(d.value)})`).join(', ') || '–')}</td>` +
        `${cell('half_hours_below_target', q.half_hours_below_target, `${q.half_hours_below_target} / ${q.half_hours_with_contacts}`)}` +
        `<td>${q.longest_miss ? e(`${q.longest_miss.from.slice(0, 16).replace('T', ' ')} → ${q.longest_miss.to.slice(11, 16)} (${q.longest_miss.half_hours} × 30 min)`) : '–'}</td></tr>`,
    )
    .join('\n');
  const formulas = [
    ...new Set(r.service_level.map((q) => `${q.service_level.formula}: ${q.service_level.definition}`)),
  ];

  return `<!doctype html>
<html lang="${t.htmlLang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(t.title(r.week, scope))}</title><style>${CSS}</style></head>
<body data-week="${e(r.week)}" data-queue="${e(r.queue ?? '')}" data-lang="${lang}">
<header><h1>${e(t.heading(r.week))}</h1>
<p class="meta">${e(scope)} · ${e(t.meta(r.from, r.to, r.time_zone, r.generated_at))}</p></header>
<section id="headline"><h2>${t.thisWeek}</h2>${headline}</section>
<section id="trend"><h2>${t.trend(r.trend.length)}</h2><figure>${trendChart(r, t)}</figure>
<table><thead>${head(t.trendCols)}</thead><tbody>
${trendRows}
</tbody></table></section>
<section id="reasons"><h2>${t.reasons}</h2><figure>${reasonsChart(r, t)}</figure>
<table><thead>${head(t.reasonCols)}</thead><tbody>
${reasonRows}
</tbody></table>
<p class="muted">${e(r.surge_test.method)}; ${t.surgeNote(r.surge_test.alpha)}</p></section>
<section id="surges"><h2>${t.surging}</h2>${surges}</section>
<section id="voice"><h2>${t.voice}</h2>${r.voice.map((v) => voiceBlock(v, t)).join('\n') || `<p class="muted">${t.noCommentsWeek}</p>`}</section>
<section id="service-level"><h2>${t.serviceLevel}</h2>
<table><thead>${head(t.slCols)}</thead><tbody>
${slRows}
</tbody></table>
<p class="muted">${formulas.map(e).join('<br>')}</p></section>
${r.notes.length > 0 ? `<footer><h2>${t.notes}</h2>${r.notes.map((n) => `<p>${e(n)}</p>`).join('')}</footer>` : ''}
</body></html>
`;
}
