// Post-contact surveys: NPS, CSAT and FCR driven by one latent satisfaction score that falls
// with waiting, transfers and repeat attempts and rises with resolution; a few free-text
// comments (English, some Chinese) that mention the contact reason.
import type { Contact } from './arrivals.js';
import type { Prng } from './prng.js';
import type { CompiledQueue } from './profiles.js';

export interface SurveyAnswers {
  nps?: number;
  csat?: number;
  fcr?: boolean;
  comment?: string;
}

const REASON_ZH: Readonly<Record<string, string>> = {
  billing: '账单',
  'payment failed': '付款失败',
  'technical issue': '技术故障',
  'account change': '账户变更',
  cancellation: '取消服务',
  delivery: '配送',
  'new order': '新订单',
  'password reset': '重置密码',
};

const EN_POSITIVE = [
  'Quick and friendly help with my {reason} question, thank you.',
  'The agent sorted out the {reason} problem in minutes. Great service!',
  'Very patient and clear. {reason} fixed on the first call.',
  'Easy, fast, polite. Exactly what I needed.',
];
const EN_NEUTRAL = [
  'Got there in the end with the {reason} issue, but it took a while.',
  'OK service. Had to explain my {reason} problem twice.',
  'Fine, though the hold music is awful.',
];
const EN_NEGATIVE = [
  'Waited {wait} minutes and my {reason} problem is still not solved.',
  'Transferred around and nobody could help with {reason}. Very frustrating.',
  'This is the third time I have called about {reason}. Fix it properly!',
  'Too long on hold, and the agent did not understand the {reason} issue.',
];
const ZH_POSITIVE = [
  '客服很耐心，{reason}的问题很快就解决了。',
  '服务很好，谢谢！',
  '一次就解决了{reason}的问题，非常满意。',
];
const ZH_NEUTRAL = ['{reason}的问题解决了，但是等了比较久。', '还可以，不过需要重复说明情况。'];
const ZH_NEGATIVE = [
  '等了{wait}分钟，{reason}的问题还是没有解决。',
  '被转接了好几次，太麻烦了。',
  '已经第三次打电话了，{reason}的问题一直没处理好。',
];

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function pick(list: readonly string[], rng: Prng): string {
  return list[rng.int(list.length)]!;
}

/** Survey answers for a completed contact (wait in seconds). */
export function drawSurvey(q: CompiledQueue, c: Contact, waitS: number, rng: Prng): SurveyAnswers {
  const sat =
    q.profile.mood +
    (c.resolved ? 0.9 : -1.3) -
    0.55 * Math.log1p(waitS / 60) -
    (c.transferred ? 0.4 : 0) -
    (c.attempt > 1 ? 0.35 : 0) +
    0.9 * rng.normal();
  const out: SurveyAnswers = {};
  const askNps = rng.chance(0.92);
  const askCsat = rng.chance(0.88);
  const askFcr = rng.chance(0.8);
  if (askNps || (!askCsat && !askFcr)) out.nps = clamp(Math.round(7.2 + 1.6 * sat), 0, 10);
  if (askCsat) out.csat = clamp(Math.round(3.7 + 0.9 * sat + 0.3 * rng.normal()), 1, 5);
  if (askFcr) {
    const p = c.resolved ? (c.attempt === 1 ? 0.92 : 0.5) : 0.08;
    out.fcr = rng.chance(p);
  }
  // Unhappy and delighted customers write more.
  if (rng.chance(0.12 + 0.08 * Math.min(2.5, Math.abs(sat)))) {
    const zh = rng.chance(0.12);
    const tone = sat > 0.6 ? 2 : sat < -0.6 ? 0 : 1;
    const list = zh ? [ZH_NEGATIVE, ZH_NEUTRAL, ZH_POSITIVE][tone]! : [EN_NEGATIVE, EN_NEUTRAL, EN_POSITIVE][tone]!;
    const reason = q.reasonNames[c.reason]!;
    out.comment = pick(list, rng)
      .replace('{reason}', zh ? (REASON_ZH[reason] ?? reason) : reason)
      .replace('{wait}', String(Math.max(1, Math.round(waitS / 60))));
  }
  return out;
}
