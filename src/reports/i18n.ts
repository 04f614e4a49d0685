// The HTML report's words in English and Chinese (Simplified), picked like the wallboard's:
// `?lang=` first, then the browser's Accept-Language, then English. Figures, reasons, queues and
// comments are data and stay as they are; only the page's own words change.

export const REPORT_LANGS = ['en', 'zh'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/**
 * Named fonts first so Chinese text renders with a CJK face whatever the platform's default:
 * Noto / Source Han (Linux), PingFang (macOS), Microsoft YaHei (Windows). Single quotes: the
 * charts put it inside a double-quoted SVG style attribute.
 */
export const FONT_STACK =
  "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans SC', sans-serif";

/** `?lang=` when it names a language we have (zh, zh-CN, en-GB, …), else the first Accept-Language that does, else en. */
export function pickReportLang(query?: string, acceptLanguage?: string): ReportLang {
  const base = (tag: string) => tag.trim().toLowerCase().split(/[-_;]/)[0] ?? '';
  const known = (tag: string): ReportLang | undefined =>
    (REPORT_LANGS as readonly string[]).includes(base(tag)) ? (base(tag) as ReportLang) : undefined;
  const asked = query === undefined ? undefined : known(query);
  if (asked) return asked;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const q = /;\s*q=([0-9.]+)/.exec(part);
      return { tag: part, q: q ? Number(q[1]) : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const lang = known(tag);
    if (lang) return lang;
  }
  return 'en';
}

const en = {
  htmlLang: 'en',
  title: (week: string, scope: string) => `VOC report ${week} — ${scope}`,
  heading: (week: string) => `Voice of the customer — ${week}`,
  allQueues: 'all queues',
  queue: (q: string) => `queue ${q}`,
  meta: (from: string, to: string, tz: string, made: string) => `${from} to ${to} (weeks cut in ${tz}) · made ${made}`,
  thisWeek: 'This week',
  headlineCols: ['figure', 'this week', 'n', '95 % interval', 'last week', 'n', 'change', 'p', 'significant'],
  nps: 'NPS',
  csat: 'CSAT',
  fcrSurvey: 'Survey FCR',
  fcrRepeat: 'Repeat-contact FCR',
  yes: 'yes',
  noise: 'no — within noise',
  significanceNote:
    'A change counts as significant at p &lt; 0.05 (two-proportion z test; NPS: normal approximation of the promoter/detractor variance). Repeat-contact FCR pending:',
  trend: (n: number) => `${n}-week trend`,
  trendCols: ['week', 'offered', 'NPS', 'n', 'CSAT', 'survey FCR', 'repeat FCR', 'AHT', 'service level'],
  reasons: 'Contact reasons',
  reasonCols: [
    'reason',
    'offered',
    'share',
    'last week',
    'expected',
    'adj. p',
    'AHT',
    'AHT last week',
    'detractors',
    'NPS n',
  ],
  surge: 'surge',
  surgeNote: (alpha: number) => `a surge is flagged at adjusted p &lt; ${alpha}.`,
  surging: 'Surging reasons',
  noSurge: 'No contact reason surged above its expected level this week.',
  surgeLine: (reason: string, offered: number, expected: string, ratio: string, p: string) =>
    `${reason}: ${offered} contacts, ${expected} expected (× ${ratio}, adjusted p ${p})`,
  noComments: 'No comments.',
  voice: 'What customers said',
  noCommentsWeek: 'No comments this week.',
  comments: 'comments',
  noTerms: 'No distinguishing terms.',
  serviceLevel: 'Service level by queue',
  slCols: [
    'queue',
    'service level',
    'target',
    'T',
    'week',
    'offered',
    'days below target',
    'half-hours below',
    'longest miss',
  ],
  met: 'met',
  missed: 'missed',
  notes: 'Notes',
  chart: {
    csat: 'CSAT %',
    fcrSurvey: 'Survey FCR %',
    fcrRepeat: 'Repeat-contact FCR %',
    offered: 'offered',
    expected: 'expected',
  },
};

export type ReportWords = typeof en;

const zh: ReportWords = {
  htmlLang: 'zh-CN',
  title: (week, scope) => `客户之声报告 ${week} — ${scope}`,
  heading: (week) => `客户之声 — ${week}`,
  allQueues: '全部队列',
  queue: (q) => `队列 ${q}`,
  meta: (from, to, tz, made) => `${from} 至 ${to}（按 ${tz} 划分周）· 生成于 ${made}`,
  thisWeek: '本周',
  headlineCols: ['指标', '本周', '样本数', '95% 区间', '上周', '样本数', '变化', 'p 值', '显著'],
  nps: 'NPS',
  csat: 'CSAT',
  fcrSurvey: '调查首次解决率',
  fcrRepeat: '重复来电首次解决率',
  yes: '是',
  noise: '否（在噪声范围内）',
  significanceNote:
    'p &lt; 0.05 时变化视为显著（双比例 z 检验；NPS 用推荐者/贬损者方差的正态近似）。重复来电首次解决率待定：',
  trend: (n) => `${n} 周趋势`,
  trendCols: [
    '周',
    '来电量',
    'NPS',
    '样本数',
    'CSAT',
    '调查首次解决率',
    '重复来电首次解决率',
    '平均处理时长',
    '服务水平',
  ],
  reasons: '来电原因',
  reasonCols: [
    '原因',
    '来电量',
    '占比',
    '上周',
    '预期',
    '校正 p 值',
    '平均处理时长',
    '上周平均处理时长',
    '贬损者',
    'NPS 样本数',
  ],
  surge: '激增',
  surgeNote: (alpha) => `校正 p 值 &lt; ${alpha} 时标记为激增。`,
  surging: '激增的来电原因',
  noSurge: '本周没有来电原因超出预期水平。',
  surgeLine: (reason, offered, expected, ratio, p) =>
    `${reason}：${offered} 次来电，预期 ${expected}（× ${ratio}，校正 p 值 ${p}）`,
  noComments: '没有评论。',
  voice: '客户怎么说',
  noCommentsWeek: '本周没有评论。',
  comments: '条评论',
  noTerms: '没有显著的关键词。',
  serviceLevel: '各队列服务水平',
  slCols: ['队列', '服务水平', '目标', 'T', '本周', '来电量', '未达标的日期', '未达标的半小时', '最长未达标时段'],
  met: '达标',
  missed: '未达标',
  notes: '说明',
  chart: {
    csat: 'CSAT %',
    fcrSurvey: '调查首次解决率 %',
    fcrRepeat: '重复来电首次解决率 %',
    offered: '来电量',
    expected: '预期',
  },
};

export function reportWords(lang: ReportLang): ReportWords {
  return lang === 'zh' ? zh : en;
}
