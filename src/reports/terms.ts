// What customers said: words by Intl.Segmenter (word granularity; Chinese by ICU's dictionary,
// English by spaces and punctuation), terms that distinguish one group of comments from the
// rest by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn
// 2008), and the comments that carry those terms most, de-duplicated.

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

// Function words that say nothing about a reason, in both languages.
const STOPWORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'at',
  'be',
  'but',
  'by',
  'for',
  'had',
  'has',
  'have',
  'i',
  'in',
  'is',
  'it',
  'its',
  'me',
  'my',
  'of',
  'on',
  'or',
  'so',
  'that',
  'the',
  'this',
  'to',
  'was',
  'we',
  'were',
  'with',
  'you',
  'your',
  'our',
  'they',
  'there',
  'then',
  '的',
  '了',
  '是',
  '我',
  '你',
  '他',
  '她',
  '在',
  '和',
  '也',
  '就',
  '都',
  '很',
  '还',
  '吗',
  '呢',
  '吧',
  '啊',
  '着',
  '把',
  '被',
  '但是',
  '不过',
]);

/** Lower-cased word tokens, stopwords and bare numbers dropped. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.normalize('NFKC'))) {
    if (!s.isWordLike) continue;
    const w = s.segment.toLowerCase();
    if (STOPWORDS.has(w) || /^\d+([.,]\d+)?$/.test(w)) continue;
    out.push(w);
  }
  return out;
}

export interface Term {
  term: string;
  /** Occurrences in the group's comments. */
  count: number;
  /** z-score of the log-odds ratio, group vs the rest. */
  z: number;
}

/** Prior strength: the prior is the corpus frequency of each word scaled to this many pseudo-words. */
export const PRIOR_WORDS = 100;

function countWords(docs: string[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of docs) for (const w of d) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/**
 * Terms of `group` against `rest` ranked by z (descending), only those with z > `minZ`.
 * δ_w = log((y_g + α_w) / (n_g + α_0 − y_g − α_w)) − log((y_r + α_w) / (n_r + α_0 − y_r − α_w)),
 * σ²_w ≈ 1/(y_g + α_w) + 1/(y_r + α_w), z = δ/σ, with α_w = α_0 × (y_g + y_r)/(n_g + n_r).
 */
export function distinguishingTerms(group: string[][], rest: string[][], limit = 8, minZ = 1.96): Term[] {
  const g = countWords(group);
  const r = countWords(rest);
  const ng = [...g.values()].reduce((s, x) => s + x, 0);
  const nr = [...r.values()].reduce((s, x) => s + x, 0);
  const n = ng + nr;
  if (ng === 0) return [];
  const terms: Term[] = [];
  for (const [w, yg] of g) {
    const yr = r.get(w) ?? 0;
    const aw = (PRIOR_WORDS * (yg + yr)) / n;
    const delta =
      Math.log((yg + aw) / (ng + PRIOR_WORDS - yg - aw)) - Math.log((yr + aw) / (nr + PRIOR_WORDS - yr - aw));
    const z = delta / Math.sqrt(1 / (yg + aw) + 1 / (yr + aw));
    if (z > minZ) terms.push({ term: w, count: yg, z });
  }
  terms.sort((a, b) => b.z - a.z || b.count - a.count || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return terms.slice(0, limit);
}

export interface Comment {
  text: string;
  nps: number | null;
  csat: number | null;
}

/** Same comment modulo case, spacing, punctuation and numbers ("waited 7 minutes" = "waited 12 minutes"). */
export function commentKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
}

/**
 * Up to `limit` comments that carry the distinguishing terms most (sum of the z of the terms
 * they contain), one per duplicate group; ties (and no terms at all): more common wording
 * first, then shorter.
 */
export function representativeComments(comments: Comment[], terms: Term[], limit = 3): Comment[] {
  const weight = new Map(terms.map((t) => [t.term, t.z]));
  const groups = new Map<string, { comment: Comment; score: number; copies: number }>();
  for (const c of comments) {
    const key = commentKey(c.text);
    if (key === '') continue;
    const existing = groups.get(key);
    if (existing) {
      existing.copies += 1;
      continue;
    }
    const score = [...new Set(tokenize(c.text))].reduce((s, w) => s + (weight.get(w) ?? 0), 0);
    groups.set(key, { comment: c, score, copies: 1 });
  }
  return [...groups.values()]
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.copies - a.copies ||
        a.comment.text.length - b.comment.text.length ||
        (a.comment.text < b.comment.text ? -1 : 1),
    )
    .slice(0, limit)
    .map((x) => x.comment);
}
