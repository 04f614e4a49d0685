// GET /v1/reports (stored reports) and GET /v1/reports/voc (the weekly voice-of-customer report
// as JSON, self-contained HTML or Markdown). Read access (viewer and up) via src/api/auth/access.ts.
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../app.js';
import { BadRequest, ErrorBody, fromStore, installErrorHandler } from './errors.js';
import { produceReport } from '../../reports/produce.js';
import { listReports } from '../../reports/store.js';
import { renderHtml } from '../../reports/html.js';
import { pickReportLang } from '../../reports/i18n.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { StoredReportSchema, VocReportSchema } from '../../reports/schemas.js';
import { parseIsoWeek, weekSpan } from '../../reports/week.js';
import { requireKnownQueue } from './known-queue.js';

export const REPORT_FORMATS = ['json', 'html', 'md'] as const;

const VocQuery = Type.Object({
  week: Type.String({ maxLength: 16, description: 'ISO week, e.g. 2026-W47 (Monday 00:00 to next Monday 00:00)' }),
  queue: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'one queue (weeks cut in its time zone); absent = all queues (UTC)',
    }),
  ),
  format: Type.Optional(Type.Enum([...REPORT_FORMATS], { default: 'json' })),
  lang: Type.Optional(
    Type.String({
      maxLength: 16,
      description: 'format=html: the page language, en or zh (zh-CN, …); default from Accept-Language, else en',
    }),
  ),
});

export const reportRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  // A report reads twelve weeks several times over (tens of seconds on the demo's five busy
  // queues, docs/reports.md): a longer deadline than one metrics query.
  const timeoutMs = 12 * (deps.queryTimeoutMs ?? 10_000);
  const now = () => deps.now?.() ?? Date.now();

  app.get(
    '/v1/reports',
    {
      schema: {
        summary: 'Stored weekly reports, newest week first',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) }),
        response: { 200: Type.Object({ reports: Type.Array(StoredReportSchema) }), 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const stored = await fromStore(() => listReports(deps.store.client, request.query.limit ?? 100), timeoutMs);
      return {
        reports: stored.map((r) => {
          const base = `/v1/reports/voc?week=${r.week}${r.queue === null ? '' : `&queue=${encodeURIComponent(r.queue)}`}`;
          return { ...r, links: { json: base, html: `${base}&format=html`, md: `${base}&format=md` } };
        }),
      };
    },
  );

  app.get(
    '/v1/reports/voc',
    {
      schema: {
        summary: 'Weekly voice-of-customer report (JSON, HTML or Markdown)',
        description:
          'The stored report of the week when there is one; otherwise built now, and stored when the week is over and the caller is a planner or admin (or the API is open): a viewer gets it built, not stored. A queue with no contacts and no settings is 404. ' +
          'NPS, CSAT, survey and repeat-contact FCR with 95 % intervals and week-over-week tests, a 12-week trend, volume and AHT by contact reason, ' +
          'surging reasons (negative-binomial tail against an 8-week baseline, Holm-corrected), distinguishing terms and representative comments, ' +
          'and the queues that missed their service-level target. Figures equal GET /v1/metrics?interval=1w for the same week, queue and time zone. ' +
          'format=html is one self-contained printable page (inline SVG charts, no external assets); format=md is for chat tools.',
        querystring: VocQuery,
        response: { 200: VocReportSchema, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const week = parseIsoWeek(q.week);
      if (!week) throw new BadRequest('week', `expected an ISO week like 2026-W47, got "${q.week}"`);
      const t = now();
      if (weekSpan(week, 'UTC').start > t + 14 * 3_600_000)
        throw new BadRequest('week', `${q.week} has not started yet`);
      if (q.queue !== undefined) await requireKnownQueue(deps.store.client, q.queue, timeoutMs);
      // Reports are stored by the weekly schedule and by planners; a viewer's read builds one
      // without storing it.
      const role = request.apiKey?.role;
      const save = role === undefined || role === 'planner' || role === 'admin';
      const { report, source } = await fromStore(
        () => produceReport(deps.store.client, { week, queue: q.queue, now: t, trigger: 'api', save }),
        timeoutMs,
      );
      reply.header('x-report-source', source);
      const format = q.format ?? 'json';
      // Strings go out as they are (fastify serialises only objects against the schema).
      if (format === 'html') {
        const lang = pickReportLang(q.lang, request.headers['accept-language']);
        reply.header('vary', 'Accept-Language').header('content-language', lang === 'zh' ? 'zh-CN' : 'en');
        return reply.type('text/html; charset=utf-8').send(renderHtml(report, lang) as never);
      }
      if (format === 'md') return reply.type('text/markdown; charset=utf-8').send(renderMarkdown(report) as never);
      return report;
    },
  );
};
