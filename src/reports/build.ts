// Builds the weekly VOC report from the store. Headline and trend figures are /v1/metrics'
// own (queryMetrics, interval 1w, same time zone), so the report and the API agree by
// construction; reasons, surges and comments come from src/reports/queries.ts.
import type { ClickHouseClient } from '@clickhouse/client';
import { LAG_DAYS, queryMetrics, type MetricsRow } from '../metrics/query.js';
import { addCounts, emptyCounts, ratios } from '../metrics/figures.js';
import { DEFAULT_SETTINGS, currentVersion, loadVersions, type SettingsVersion } from '../metrics/settings.js';
import { intervalStart } from '../metrics/intervals.js';
import { localIso, localParts } from '../metrics/tz.js';
import { npsDifferenceP, npsInterval, twoProportionP, wilson } from './stats.js';
import { BASELINE_WEEKS, SURGE_ALPHA, testSurges, type ReasonHistory } from './surges.js';
import { distinguishingTerms, representativeComments, tokenize, type Comment } from './terms.js';
import { queuesOffered, reasonWeeks, surveyComments, type CommentRow, type ReasonWeekRow } from './queries.js';
import { formatIsoWeek, weeksEndingWith, type IsoWeek, type WeekSpan } from './week.js';
import type { Headline, QueueServiceLevel, ReasonFigures, TrendWeek, Voice, VocReport } from './types.js';

export const TREND_WEEKS = 12;
export const TOP_REASONS = 5;
const SIGNIFICANCE = 0.05;
const COMMENT_LIMIT = 50_000;

export interface BuildOptions {
  week: IsoWeek;
  /** One queue; absent = all queues. */
  queue?: string;
  now: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

function trendWeek(span: WeekSpan, row: MetricsRow): TrendWeek {
  return {
    week: span.label,
    start: row.start,
    end: row.end,
    counts: row.counts,
    nps: row.nps,
    csat_pct: row.csat_pct,
    fcr_survey: row.fcr_survey,
    fcr_repeat: row.fcr_repeat,
    aht_s: row.aht_s,
    service_level: row.service_level,
  };
}

function proportionHeadline(k: number, n: number, pk: number, pn: number, scale: number): Headline {
  const value = n > 0 ? (scale * k) / n : null;
  const previous = pn > 0 ? (scale * pk) / pn : null;
  const ci = wilson(k, n);
  const p = twoProportionP(k, n, pk, pn);
  return {
    value,
    n,
    ci95: ci ? [scale * ci[0], scale * ci[1]] : null,
    previous,
    previous_n: pn,
    change: value !== null && previous !== null ? value - previous : null,
    p_value: p,
    significant: p !== null && p < SIGNIFICANCE,
  };
}

function headlines(now: TrendWeek, before: TrendWeek): VocReport['headline'] {
  const c = now.counts;
  const b = before.counts;
  const npsP = npsDifferenceP(
    { promoters: c.promoters, detractors: c.detractors, n: c.nps_n },
    { promoters: b.promoters, detractors: b.detractors, n: b.nps_n },
  );
  return {
    nps: {
      value: now.nps,
      n: c.nps_n,
      ci95: npsInterval(c.promoters, c.detractors, c.nps_n),
      previous: before.nps,
      previous_n: b.nps_n,
      change: now.nps !== null && before.nps !== null ? now.nps - before.nps : null,
      p_value: npsP,
      significant: npsP !== null && npsP < SIGNIFICANCE,
    },
    csat_pct: proportionHeadline(c.csat_4_5, c.csat_n, b.csat_4_5, b.csat_n, 100),
    fcr_survey: proportionHeadline(c.fcr_yes, c.fcr_n, b.fcr_yes, b.fcr_n, 1),
    fcr_repeat: {
      ...proportionHeadline(
        c.fcr_repeat_resolved,
        c.fcr_repeat_eligible,
        b.fcr_repeat_resolved,
        b.fcr_repeat_eligible,
        1,
      ),
      pending: c.fcr_repeat_pending,
    },
  };
}

function reasonFigures(rows: ReasonWeekRow[], weeks: number): ReasonFigures[] {
  const thisWeek = weeks; // 1-based index of the report week
  const byReason = new Map<string, ReasonWeekRow[]>();
  for (const r of rows) if (r.week >= 1) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r]);
  const histories: ReasonHistory[] = [...byReason].map(([reason, list]) => ({
    reason,
    baseline: Array.from({ length: weeks - 1 }, (_, i) => list.find((r) => r.week === i + 1)?.offered ?? 0),
    observed: list.find((r) => r.week === thisWeek)?.offered ?? 0,
  }));
  const tests = new Map(testSurges(histories).map((t) => [t.reason, t]));
  const total = histories.reduce((s, h) => s + h.observed, 0);
  const out = [...byReason].map(([reason, list]): ReasonFigures => {
    const now = list.find((r) => r.week === thisWeek);
    const before = list.find((r) => r.week === thisWeek - 1);
    const t = tests.get(reason)!;
    const offered = now?.offered ?? 0;
    return {
      reason,
      offered,
      share: ratio(offered, total),
      handled: now?.handled ?? 0,
      aht_s: now ? ratio(now.handle_s, now.handled) : null,
      previous_offered: before?.offered ?? 0,
      previous_aht_s: before ? ratio(before.handle_s, before.handled) : null,
      nps_n: now?.nps_n ?? 0,
      detractors: now?.detractors ?? 0,
      detractor_share: now ? ratio(now.detractors, now.nps_n) : null,
      detractor_share_ci95: now ? wilson(now.detractors, now.nps_n) : null,
      expected: t.expected,
      ratio: t.ratio,
      p_value: t.p_value,
      p_adjusted: t.p_adjusted,
      surge: t.surge,
    };
  });
  return out
    .filter((r) => r.offered > 0 || r.surge)
    .sort((a, b) => b.offered - a.offered || (a.reason < b.reason ? -1 : 1));
}

const toComment = (c: CommentRow): Comment => ({ text: c.comment, nps: c.nps, csat: c.csat });

function voiceOf(reason: string, group: CommentRow[], rest: CommentRow[]): Voice {
  const terms = distinguishingTerms(
    group.map((c) => tokenize(c.comment)),
    rest.map((c) => tokenize(c.comment)),
  );
  return { reason, comments_n: group.length, terms, comments: representativeComments(group.map(toComment), terms) };
}

function dayLabel(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Service level of one queue over the week, the days below target and the longest run of half-hours below it. */
export function queueServiceLevel(
  queue: string,
  halfHours: MetricsRow[],
  total: MetricsRow,
  tz: string,
): QueueServiceLevel {
  const days = new Map<number, { counts: ReturnType<typeof emptyCounts>; first: MetricsRow }>();
  let withContacts = 0;
  let below = 0;
  type Run = { from: number; to: number; n: number };
  let run = null as Run | null;
  let longest = null as Run | null;
  for (const row of halfHours) {
    const start = Date.parse(row.start);
    const key = intervalStart(start, '1d', tz);
    const day = days.get(key) ?? { counts: emptyCounts(), first: row };
    addCounts(day.counts, row.counts);
    days.set(key, day);
    const value = row.service_level.value;
    if (value !== null) withContacts += 1;
    if (value !== null && value < row.sl_target) {
      below += 1;
      run = { from: run?.from ?? start, to: Date.parse(row.end), n: (run?.n ?? 0) + 1 };
      if (!longest || run.n > longest.n) longest = run;
    } else run = null;
  }
  const missed_days = [...days].flatMap(([start, d]) => {
    const value = ratios(d.counts, d.first.service_level.formula).service_level.value;
    return value !== null && value < d.first.sl_target
      ? [{ date: dayLabel(start, tz), value, offered: d.counts.offered }]
      : [];
  });
  const value = total.service_level.value;
  return {
    queue,
    threshold_s: total.threshold_s,
    sl_target: total.sl_target,
    service_level: total.service_level,
    offered: total.counts.offered,
    met: value === null ? null : value >= total.sl_target,
    missed_days,
    half_hours_with_contacts: withContacts,
    half_hours_below_target: below,
    longest_miss: longest
      ? { from: localIso(longest.from, tz), to: localIso(longest.to, tz), half_hours: longest.n }
      : null,
  };
}

function maxFcrWindow(versions: Map<string, SettingsVersion[]>): number {
  return Math.max(
    DEFAULT_SETTINGS.fcr_window_days,
    ...[...versions.values()].flat().map((v) => v.settings.fcr_window_days),
  );
}

export async function buildVocReport(client: ClickHouseClient, opts: BuildOptions): Promise<VocReport> {
  const { queue, now } = opts;
  const versions = await loadVersions(client, queue ? [queue] : undefined);
  const tz = queue ? currentVersion(versions.get(queue)!, now).settings.time_zone : 'UTC';
  const trendSpans = weeksEndingWith(opts.week, TREND_WEEKS, tz);
  const week = trendSpans.at(-1)!;
  const metrics = await queryMetrics(client, {
    queue,
    from: trendSpans[0]!.start,
    to: week.end,
    interval: '1w',
    tz,
    now,
  });
  const trend = trendSpans.map((span) =>
    trendWeek(
      span,
      metrics.rows.find((r) => Date.parse(r.start) === span.start)!,
    ),
  );

  const baseSpans = weeksEndingWith(opts.week, BASELINE_WEEKS + 1, tz);
  const span = {
    queue: queue ?? '',
    weekStarts: baseSpans.map((s) => s.start),
    to: week.end,
    lagDays: LAG_DAYS,
    laterTo: week.end + (maxFcrWindow(versions) + LAG_DAYS) * 86_400_000,
  };
  const reasons = reasonFigures(await reasonWeeks(client, span), baseSpans.length);
  const comments = await surveyComments(client, span, COMMENT_LIMIT);
  const thisWeek = comments.filter((c) => c.week === baseSpans.length);
  const voice = reasons.slice(0, TOP_REASONS).map((r) =>
    voiceOf(
      r.reason,
      thisWeek.filter((c) => c.reason === r.reason),
      thisWeek.filter((c) => c.reason !== r.reason),
    ),
  );
  const surges = reasons
    .filter((r) => r.surge)
    .map((r) => {
      const group = thisWeek.filter((c) => c.reason === r.reason);
      // What is new about a surging reason: its comments this week against its own before.
      // When it says nothing new, what sets it apart from the other reasons this week.
      const before = comments.filter((c) => c.reason === r.reason && c.week >= 1 && c.week < baseSpans.length);
      if (group.length === 0) return { ...r, voice: null };
      const own = voiceOf(r.reason, group, before);
      return {
        ...r,
        voice:
          own.terms.length > 0
            ? own
            : voiceOf(
                r.reason,
                group,
                thisWeek.filter((c) => c.reason !== r.reason),
              ),
      };
    });

  const service_level: QueueServiceLevel[] = [];
  for (const q of queue ? [queue] : await queuesOffered(client, week.start, week.end)) {
    // Service level depends on contact counts only; a `now` at the week's start makes
    // queryMetrics skip the repeat-visit lookup and the agent-time query it does not need.
    const m = await queryMetrics(client, {
      queue: q,
      from: week.start,
      to: week.end,
      interval: '30m',
      tz,
      now: week.start,
    });
    service_level.push(queueServiceLevel(q, m.rows, m.total, tz));
  }

  const notes: string[] = [];
  if (trend.at(-1)!.counts.fcr_repeat_pending > 0) {
    notes.push(
      `Repeat-contact FCR leaves out ${trend.at(-1)!.counts.fcr_repeat_pending} contacts whose repeat window had not closed when the report was made.`,
    );
  }
  if (comments.length >= COMMENT_LIMIT) notes.push(`Only the newest ${COMMENT_LIMIT} comments were read.`);
  return {
    kind: 'voc',
    week: formatIsoWeek(opts.week),
    queue: queue ?? null,
    time_zone: tz,
    from: iso(week.start),
    to: iso(week.end),
    generated_at: iso(now),
    headline: headlines(trend.at(-1)!, trend.at(-2)!),
    trend,
    reasons,
    surge_test: {
      method:
        `expected = reason's share of the other reasons' volume over the previous ${BASELINE_WEEKS} weeks × the other reasons' volume this week; ` +
        `P(X ≥ observed) under a negative binomial with the overdispersion of the baseline (Poisson when none); Holm-corrected over reasons`,
      baseline_weeks: BASELINE_WEEKS,
      alpha: SURGE_ALPHA,
      correction: 'holm',
    },
    surges,
    voice,
    service_level,
    notes,
  };
}
