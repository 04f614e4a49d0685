// The report's methods on hand-worked numbers: ISO weeks, intervals and tests, surge
// detection, tokenising (English and Chinese), distinguishing terms, representative comments,
// escaping, the weekly schedule. References: published Wilson interval for 8/10, exact
// Poisson/geometric tails, and the log-odds formula evaluated independently (Python).
import { describe, expect, it } from 'vitest';
import { formatIsoWeek, parseIsoWeek, shiftWeek, weekOf, weekSpan } from '../../src/reports/week.js';
import { holm, npsDifferenceP, npsInterval, twoProportionP, upperTail, wilson } from '../../src/reports/stats.js';
import { testSurges } from '../../src/reports/surges.js';
import { distinguishingTerms, representativeComments, tokenize } from '../../src/reports/terms.js';
import { escapeHtml, escapeMarkdown } from '../../src/reports/format.js';
import { nextWeeklyRun } from '../../src/reports/weekly-timer.js';
import { loadConfig } from '../../src/config/index.js';

describe('ISO weeks', () => {
  it('2026-W47 is Monday 16 Nov 00:00 to Monday 23 Nov 00:00, in UTC or in the queue zone', () => {
    const w = parseIsoWeek('2026-W47')!;
    expect(weekSpan(w, 'UTC')).toEqual({
      label: '2026-W47',
      start: Date.parse('2026-11-16T00:00:00Z'),
      end: Date.parse('2026-11-23T00:00:00Z'),
    });
    expect(weekSpan(w, 'Asia/Tokyo').start).toBe(Date.parse('2026-11-15T15:00:00Z'));
    // The week of the DST change in London (25 Oct 2026) is 7 days + 1 hour long.
    const dst = weekSpan(parseIsoWeek('2026-W43')!, 'Europe/London');
    expect([new Date(dst.start).toISOString(), new Date(dst.end).toISOString()]).toEqual([
      '2026-10-18T23:00:00.000Z',
      '2026-10-26T00:00:00.000Z',
    ]);
  });

  it('knows 53-week years and year boundaries', () => {
    expect(parseIsoWeek('2026-W53')).toEqual({ year: 2026, week: 53 }); // 2026 starts on a Thursday
    expect(parseIsoWeek('2025-W53')).toBeNull();
    expect(parseIsoWeek('2026-W00')).toBeNull();
    expect(parseIsoWeek('2026-47')).toBeNull();
    expect(new Date(weekSpan(parseIsoWeek('2026-W01')!, 'UTC').start).toISOString()).toBe('2025-12-29T00:00:00.000Z');
    expect(formatIsoWeek(weekOf(Date.parse('2027-01-01T12:00:00Z'), 'UTC'))).toBe('2026-W53');
    expect(formatIsoWeek(shiftWeek({ year: 2027, week: 1 }, 1))).toBe('2026-W53');
    expect(formatIsoWeek(shiftWeek({ year: 2026, week: 53 }, -1))).toBe('2027-W01');
  });
});

describe('confidence and change tests', () => {
  it('Wilson interval of 8/10 is 0.4902–0.9433', () => {
    const [lo, hi] = wilson(8, 10)!;
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
    expect(wilson(0, 0)).toBeNull();
  });

  it('two-proportion z test: 30/100 vs 45/100 gives z = −2.191, p = 0.0285', () => {
    expect(twoProportionP(30, 100, 45, 100)).toBeCloseTo(0.02846, 4);
  });

  it('a 20-point NPS drop on 30 surveys is noise; the same drop on 300 is not', () => {
    // 12 promoters, 6 detractors of 30: NPS 20, se = 100·√((0.6 − 0.04)/30) = 13.663
    const [lo, hi] = npsInterval(12, 6, 30)!;
    expect(lo).toBeCloseTo(20 - 1.959964 * 13.6626, 3);
    expect(hi).toBeCloseTo(20 + 1.959964 * 13.6626, 3);
    // vs 9/9 of 30 (NPS 0, se 14.142): z = 20 / 19.658 = 1.017 → p = 0.309
    expect(npsDifferenceP({ promoters: 12, detractors: 6, n: 30 }, { promoters: 9, detractors: 9, n: 30 })).toBeCloseTo(
      0.309,
      3,
    );
    // ten times the surveys: z = 3.217 → p = 0.0013
    expect(
      npsDifferenceP({ promoters: 120, detractors: 60, n: 300 }, { promoters: 90, detractors: 90, n: 300 }),
    ).toBeCloseTo(0.0013, 4);
  });

  it('count tails: Poisson and negative binomial', () => {
    expect(upperTail(3, 1, 0)).toBeCloseTo(1 - 2.5 / Math.E, 12); // 1 − e⁻¹(1 + 1 + ½)
    expect(upperTail(1, 2, 0)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(upperTail(3, 1, 1)).toBeCloseTo(0.125, 12); // alpha 1, mean 1: geometric, ½³
    expect(upperTail(100, 50, 0) / 3.2000653245851495e-10).toBeCloseTo(1, 8); // tiny tails keep their precision
  });

  it('Holm adjusts in rank order and keeps the order monotone', () => {
    expect(holm([0.01, 0.04, 0.03, null])).toEqual([0.03, 0.06, 0.06, null]);
  });
});

describe('surging reasons', () => {
  const week = (a: number, b: number, c: number) => [
    { reason: 'A', baseline: [100, 100, 100, 100], observed: a },
    { reason: 'B', baseline: [50, 50, 50, 50], observed: b },
    { reason: 'C', baseline: [50, 50, 50, 50], observed: c },
  ];

  it('flags a reason at twice its expected level, and does not let it inflate the others', () => {
    const [a, b, c] = testSurges(week(100, 100, 50));
    // B: share of the others 200/600, others now 150 → expected 50; the baseline is exactly Poisson-calm (alpha 0).
    expect(b).toMatchObject({ reason: 'B', observed: 100, expected: 50, ratio: 2, dispersion: 0, surge: true });
    expect(b!.p_value! / 3.2000653245851495e-10).toBeCloseTo(1, 6);
    expect(b!.p_adjusted! / (3 * 3.2000653245851495e-10)).toBeCloseTo(1, 6);
    // With B left out, A is expected at 2 × C = 100 and C at A / 2 = 50: as observed.
    expect(a).toMatchObject({ expected: 100, surge: false });
    expect(a!.p_value).toBeCloseTo(0.5132988, 6);
    expect(c).toMatchObject({ expected: 50, surge: false });
    expect(c!.p_value).toBeCloseTo(0.5188083, 6);
  });

  it('flags nothing in a calm week, and does not test without enough history', () => {
    expect(testSurges(week(104, 47, 55)).filter((t) => t.surge)).toEqual([]);
    const short = testSurges([
      { reason: 'A', baseline: [0, 0, 10, 10], observed: 30 },
      { reason: 'B', baseline: [0, 0, 10, 10], observed: 10 },
    ]);
    expect(short.map((t) => [t.expected, t.p_value, t.surge])).toEqual([
      [null, null, false],
      [null, null, false],
    ]);
  });
});

describe('what customers said', () => {
  const group = ['Payment failed twice!', 'My payment failed again.', '付款失败，钱被扣了两次。', '付款又失败了'];
  const rest = ['Delivery was late.', 'The parcel delivery never came', '快递没有送到'];

  it('tokenises English and Chinese words with Intl.Segmenter, without stopwords or numbers', () => {
    expect(tokenize('My payment failed again.')).toEqual(['payment', 'failed', 'again']);
    expect(tokenize('付款失败')).toEqual(['付款', '失败']);
    expect(tokenize('等了12分钟，付款失败的问题还是没有解决。')).toEqual([
      '等',
      '分钟',
      '付款',
      '失败',
      '问题',
      '还是',
      '没有',
      '解决',
    ]);
  });

  it('ranks terms by the log-odds z-score with an informative Dirichlet prior', () => {
    const terms = distinguishingTerms(group.map(tokenize), rest.map(tokenize), 20, -Infinity);
    // 14 words in the group, 9 in the rest, prior 100 pseudo-words:
    // payment (2 vs 0): α = 100·2/23, z = 0.38883; a word seen once in the group only: z = 0.26249.
    expect(terms.slice(0, 4).map((t) => t.term)).toEqual(['failed', 'payment', '付款', '失败']);
    expect(terms[1]!.z).toBeCloseTo(0.3888271530392473, 12);
    expect(terms.slice(4).map((t) => t.term)).toEqual(['again', 'twice', '两次', '又', '扣了', '钱']);
    expect(terms[4]!.z).toBeCloseTo(0.26249309906437435, 12);
    // With so few comments nothing clears z > 1.96: a handful of comments is not evidence.
    expect(distinguishingTerms(group.map(tokenize), rest.map(tokenize))).toEqual([]);
  });

  it('picks representative comments by those terms, one per wording', () => {
    const terms = distinguishingTerms(group.map(tokenize), rest.map(tokenize), 20, -Infinity);
    const comments = [...group, 'payment FAILED   twice!!'].map((text) => ({ text, nps: 2, csat: 1 }));
    // Chinese one: 2 × 0.389 + 3 × 0.262; the rest 2 × 0.389 + 0.262 each, then the wording seen
    // twice, then the shorter: '付款又失败了' before 'My payment failed again.'.
    expect(representativeComments(comments, terms, 4).map((c) => c.text)).toEqual([
      '付款失败，钱被扣了两次。',
      'Payment failed twice!',
      '付款又失败了',
      'My payment failed again.',
    ]);
  });

  it('escapes hostile text for HTML and Markdown', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'q'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;',
    );
    expect(escapeMarkdown('**bold** | [link](javascript:x)\n<b>`code`')).toBe(
      '\\*\\*bold\\*\\* \\| \\[link\\](javascript:x) &lt;b&gt;\\`code\\`',
    );
  });
});

describe('weekly schedule', () => {
  it('CALLCAST_REPORT_SCHEDULE: weekday and UTC time, or off; a bad value names the variable', () => {
    expect(loadConfig({}).reportSchedule).toEqual({ weekday: 0, hour: 6, minute: 0 });
    expect(loadConfig({ CALLCAST_REPORT_SCHEDULE: 'fri 17:30' }).reportSchedule).toEqual({
      weekday: 4,
      hour: 17,
      minute: 30,
    });
    expect(loadConfig({ CALLCAST_REPORT_SCHEDULE: 'off' }).reportSchedule).toBe('off');
    expect(() => loadConfig({ CALLCAST_REPORT_SCHEDULE: 'Monday 6am' })).toThrow(
      /^CALLCAST_REPORT_SCHEDULE: expected a weekday and UTC time like MON 06:00/,
    );
  });

  it('next run is the next such weekday and time, strictly after now', () => {
    const mon6 = { weekday: 0, hour: 6, minute: 0 };
    expect(new Date(nextWeeklyRun(mon6, Date.parse('2026-11-23T05:59:00Z'))).toISOString()).toBe(
      '2026-11-23T06:00:00.000Z',
    ); // a Monday
    expect(new Date(nextWeeklyRun(mon6, Date.parse('2026-11-23T06:00:00Z'))).toISOString()).toBe(
      '2026-11-30T06:00:00.000Z',
    );
    expect(
      new Date(nextWeeklyRun({ weekday: 6, hour: 23, minute: 0 }, Date.parse('2026-11-25T12:00:00Z'))).toISOString(),
    ).toBe('2026-11-29T23:00:00.000Z');
  });
});
