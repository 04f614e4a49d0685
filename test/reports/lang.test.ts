// The VOC report's HTML in English and Chinese: the language from ?lang=, else Accept-Language,
// else English (as the wallboard picks it); a named CJK font stack so Chinese text renders with
// a CJK face; the data (figures, reasons) the same in both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FONT_STACK, pickReportLang } from '../../src/reports/i18n.js';
import { metricsApp } from '../api/helpers.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

const CJK_STACK =
  "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans SC', sans-serif";

describe('the report language', () => {
  it('takes ?lang= first, then the best Accept-Language we have, then English', () => {
    expect(pickReportLang('zh')).toBe('zh');
    expect(pickReportLang('zh-CN', 'en')).toBe('zh');
    expect(pickReportLang('en', 'zh-CN,zh;q=0.9')).toBe('en');
    expect(pickReportLang(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(pickReportLang(undefined, 'fr-FR, en;q=0.5, zh;q=0.7')).toBe('zh');
    expect(pickReportLang(undefined, 'zh;q=0, en')).toBe('en');
    expect(pickReportLang('klingon', 'fr')).toBe('en');
    expect(pickReportLang(undefined, undefined)).toBe('en');
  });
});

describe('GET /v1/reports/voc?format=html', () => {
  let temp: TempStore;
  let app: Awaited<ReturnType<typeof metricsApp>>;
  const NOW = Date.parse('2026-12-03T12:00:00Z');
  beforeAll(async () => {
    temp = await openTempStore();
    app = await metricsApp(temp.store, { now: () => NOW });
  });
  afterAll(async () => {
    await app?.close();
    await temp?.cleanup();
  });
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('names the CJK font stack for the page and its charts', async () => {
    expect(FONT_STACK).toBe(CJK_STACK);
    const html = (await get('/v1/reports/voc?week=2026-W47&format=html')).body;
    expect(html).toContain(`body{font:14px/1.45 ${CJK_STACK};`);
    // The charts' text too, inside a double-quoted style attribute that the stack must not end.
    const svgText = html.match(/<text [^>]*style="([^"]*)"/)?.[1];
    expect(svgText).toBe(`font-size:12px;font-family:${CJK_STACK};`);
  });

  it('is in Chinese with lang=zh and with a zh Accept-Language, in English otherwise', async () => {
    const zh = await get('/v1/reports/voc?week=2026-W47&format=html&lang=zh');
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.headers.vary).toContain('Accept-Language');
    expect(zh.body).toContain('<html lang="zh-CN">');
    expect(zh.body).toContain('<h1>客户之声 — 2026-W47</h1>');
    expect(zh.body).toContain('<h2>本周</h2>');
    expect(zh.body).toContain('<th>指标</th><th>本周</th>');
    expect(zh.body).toContain('<h2>各队列服务水平</h2>');
    expect(zh.body).toContain('全部队列');
    expect(zh.body).not.toContain('<h2>This week</h2>');

    const browser = await get('/v1/reports/voc?week=2026-W47&format=html', {
      'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8',
    });
    expect(browser.body).toContain('<h1>客户之声 — 2026-W47</h1>');

    const en = await get('/v1/reports/voc?week=2026-W47&format=html&lang=en', { 'accept-language': 'zh-CN' });
    expect(en.headers['content-language']).toBe('en');
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('<h1>Voice of the customer — 2026-W47</h1>');
    expect(en.body).toContain('<h2>This week</h2>');
    expect(en.body).not.toContain('客户之声');

    // The same figures either way: only the words differ.
    const values = (html: string) => [...html.matchAll(/data-(?:figure|field|value)="[^"]*"/g)].map((m) => m[0]);
    expect(values(zh.body)).toEqual(values(en.body));
  });
});
