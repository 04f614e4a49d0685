// The reference docs (docs/*.md, README.md) describe the product as it is: no work-log language,
// no pointers to files outside the repository, and every relative link leads to a file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Phrases that belong in commit messages, not in reference docs. */
const SESSION_LOG: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  { pattern: /\bissues? #?\d+/i, why: 'names an issue' },
  { pattern: /\b(this|last|previous|earlier|next|other|another) sessions?\b/i, why: 'names a work session' },
  { pattern: /\bsession \d+\b/i, why: 'names a work session' },
  { pattern: /\bwas fixed\b|\bfound and fixed\b/i, why: 'tells the history of a fix' },
  { pattern: /\bno longer\b/i, why: 'compares with an earlier state' },
  { pattern: /\b(before|after) (this|the|that) change\b/i, why: 'compares with an earlier state' },
  { pattern: /\bpreviously\b/i, why: 'compares with an earlier state' },
  { pattern: /\bnot (built|done|implemented|written) yet\b/i, why: 'a plan, not the product' },
  {
    pattern: /\b(?:is|are) now\b|\bnow (?:does|uses|runs|reads|takes|keeps|counts|writes|returns|happens)\b/i,
    why: '"now" as in "now does X"',
  },
  { pattern: /\bmeasured (?:on )?\d{4}-\d{2}-\d{2}\b/i, why: 'measurement history by date' },
];

/** References to material that is not in the repository. */
const OUTSIDE: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  {
    pattern: /(?<![\w/-])(?:SPEC|DESIGN)\.md\b/,
    why: 'cites SPEC.md / DESIGN.md (use docs/spec.md, docs/ARCHITECTURE.md)',
  },
  { pattern: /\/work\/shared\b|\.\.\/shared\//, why: 'points outside the repository' },
];

interface Finding {
  file: string;
  line: number;
  text: string;
  why: string;
}

function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(ROOT, 'docs', name));
  return [...docs, join(ROOT, 'README.md')];
}

/** Each line of a Markdown text with whether it lies inside a fenced code block. */
function linesOf(text: string): Array<{ line: number; text: string; fenced: boolean }> {
  let fenced = false;
  return text.split('\n').map((raw, i) => {
    const fence = /^\s*(```|~~~)/.test(raw);
    const out = { line: i + 1, text: raw, fenced: fenced || fence };
    if (fence) fenced = !fenced;
    return out;
  });
}

/** Every line of `text` that matches one of `rules`, as file:line findings. */
function phraseFindings(file: string, text: string, rules: ReadonlyArray<{ pattern: RegExp; why: string }>): Finding[] {
  const found: Finding[] = [];
  for (const { line, text: content } of linesOf(text)) {
    for (const { pattern, why } of rules) {
      if (pattern.test(content)) found.push({ file, line, text: content.trim(), why });
    }
  }
  return found;
}

/** Relative Markdown links `[text](target)` outside code whose target does not exist. */
function brokenLinks(file: string, text: string, root: string = ROOT): Finding[] {
  const found: Finding[] = [];
  const base = dirname(resolve(root, file));
  for (const { line, text: content, fenced } of linesOf(text)) {
    if (fenced) continue;
    const prose = content.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
      const path = decodeURIComponent(target.split('#')[0]!.split('?')[0]!);
      if (!existsSync(resolve(base, path))) found.push({ file, line, text: target, why: 'link target does not exist' });
    }
  }
  return found;
}

/** `docs/NAME.md` named in the text (linked or not) that does not exist. */
function missingDocs(file: string, text: string, root: string = ROOT): Finding[] {
  const found: Finding[] = [];
  for (const { line, text: content } of linesOf(text)) {
    for (const match of content.matchAll(/(?<![\w/.-])docs\/([\w.-]+\.md)\b/g)) {
      if (!existsSync(join(root, 'docs', match[1]!)))
        found.push({ file, line, text: match[0], why: 'names a doc that does not exist' });
    }
  }
  return found;
}

const show = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.line}: ${f.why}: ${f.text}`);

describe('reference docs (docs/*.md, README.md)', () => {
  const files = docFiles().map((path) => ({ file: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

  it('reads every doc', () => {
    const names = files.map((f) => f.file);
    expect(names).toContain('README.md');
    expect(names).toContain('docs/ARCHITECTURE.md');
    expect(names).toContain('docs/spec.md');
  });

  it('holds no session-log language', () => {
    expect(show(files.flatMap((f) => phraseFindings(f.file, f.text, SESSION_LOG)))).toEqual([]);
  });

  it('stands without files outside the repository', () => {
    expect(show(files.flatMap((f) => phraseFindings(f.file, f.text, OUTSIDE)))).toEqual([]);
  });

  it('links only to files that exist', () => {
    expect(show(files.flatMap((f) => [...brokenLinks(f.file, f.text), ...missingDocs(f.file, f.text)]))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('name file and line of each session-log phrase', () => {
    const text = [
      '# Title',
      'Found in issue 7 during this session.',
      'The writer now uses batches; it no longer waits.',
      'Kafka session timeout is 10 s; contacts waiting now: none.',
      '```',
      'before the change (inside a code block, still checked)',
      '```',
    ].join('\n');
    expect(show(phraseFindings('docs/x.md', text, SESSION_LOG))).toEqual([
      'docs/x.md:2: names an issue: Found in issue 7 during this session.',
      'docs/x.md:2: names a work session: Found in issue 7 during this session.',
      'docs/x.md:3: compares with an earlier state: The writer now uses batches; it no longer waits.',
      'docs/x.md:3: "now" as in "now does X": The writer now uses batches; it no longer waits.',
      'docs/x.md:6: compares with an earlier state: before the change (inside a code block, still checked)',
    ]);
  });

  it('find links whose target is missing, and ignore URLs, anchors and code', () => {
    const text = [
      'See [spec](spec.md), [arch](ARCHITECTURE.md#layout), [web](https://example.com/x.md), [top](#top).',
      'Broken: [gone](gone.md) and [up](../nowhere/file.md "title").',
      '`[not a link](missing.md)`',
      '```',
      '[in code](missing-too.md)',
      '```',
    ].join('\n');
    expect(show(brokenLinks('docs/x.md', text))).toEqual([
      'docs/x.md:2: link target does not exist: gone.md',
      'docs/x.md:2: link target does not exist: ../nowhere/file.md',
    ]);
  });

  it('find docs/NAME.md mentions of docs that do not exist', () => {
    expect(show(missingDocs('README.md', 'Read docs/spec.md and docs/absent.md; not mydocs/x.md.'))).toEqual([
      'README.md:1: names a doc that does not exist: docs/absent.md',
    ]);
  });
});
