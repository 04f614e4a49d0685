// The report as Markdown for chat tools: the headline, top reasons, surges with what
// customers said, and the queues that missed their target. Data strings are escaped.
import { escapeMarkdown as m, fixed, pValue, pct, seconds, signed } from './format.js';
import type { Headline, VocReport } from './types.js';

function line(label: string, h: Headline, show: (x: number | null) => string, digits: number): string {
  const ci = h.ci95 ? `${show(h.ci95[0])}–${show(h.ci95[1])}` : '–';
  const change =
    h.change === null ? '–' : `${signed(h.change, digits)}${h.significant ? ' (significant)' : ' (within noise)'}`;
  return `| ${label} | ${show(h.value)} | ${h.n} | ${ci} | ${show(h.previous)} | ${change} | ${pValue(h.p_value)} |`;
}

export function renderMarkdown(r: VocReport): string {
  const h = r.headline;
  const out: string[] = [];
  out.push(`# Voice of the customer — ${r.week} (${r.queue === null ? 'all queues' : `queue ${m(r.queue)}`})`, '');
  out.push(`${r.from} to ${r.to}, weeks cut in ${r.time_zone}.`, '');
  out.push('| figure | this week | n | 95 % interval | last week | change | p |', '|---|---:|---:|---|---:|---|---:|');
  out.push(line('NPS', h.nps, (x) => fixed(x), 1));
  out.push(line('CSAT', h.csat_pct, (x) => (x === null ? '–' : `${x.toFixed(1)} %`), 1));
  out.push(line('Survey FCR', h.fcr_survey, (x) => pct(x), 3));
  out.push(
    line('Repeat-contact FCR', h.fcr_repeat, (x) => pct(x), 3),
    '',
  );
  out.push(
    '## Top contact reasons',
    '',
    '| reason | offered | last week | expected | AHT | detractors |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const x of r.reasons.slice(0, 5)) {
    out.push(
      `| ${m(x.reason)}${x.surge ? ' **surge**' : ''} | ${x.offered} | ${x.previous_offered} | ${fixed(x.expected)} | ${seconds(x.aht_s)} | ${pct(x.detractor_share)} |`,
    );
  }
  out.push('', '## Surging reasons', '');
  if (r.surges.length === 0) out.push('None this week.');
  for (const s of r.surges) {
    out.push(
      `- **${m(s.reason)}**: ${s.offered} contacts vs ${fixed(s.expected)} expected (× ${fixed(s.ratio, 2)}, adjusted p ${pValue(s.p_adjusted)})`,
    );
    if (s.voice && s.voice.terms.length > 0) out.push(`  - terms: ${s.voice.terms.map((t) => m(t.term)).join(', ')}`);
    for (const c of s.voice?.comments ?? []) out.push(`  - “${m(c.text)}”`);
  }
  out.push('', '## What customers said', '');
  for (const v of r.voice) {
    out.push(
      `**${m(v.reason)}** (${v.comments_n} comments)${v.terms.length > 0 ? ` — ${v.terms.map((t) => m(t.term)).join(', ')}` : ''}`,
    );
    for (const c of v.comments) out.push(`> ${m(c.text)}`, '>');
    out.push('');
  }
  const missed = r.service_level.filter((q) => q.met === false);
  out.push('## Queues below their service-level target', '');
  if (missed.length === 0) out.push('None.');
  for (const q of missed) {
    const days = q.missed_days.map((d) => `${d.date} ${pct(d.value)}`).join(', ') || 'no single day';
    out.push(
      `- **${m(q.queue)}**: ${pct(q.service_level.value)} vs target ${pct(q.sl_target, 0)} (${q.service_level.formula}); days below: ${days}` +
        (q.longest_miss
          ? `; longest run ${q.longest_miss.from.slice(0, 16).replace('T', ' ')} → ${q.longest_miss.to.slice(11, 16)}`
          : ''),
    );
  }
  for (const n of r.notes) out.push('', `_${m(n)}_`);
  return `${out.join('\n')}\n`;
}
