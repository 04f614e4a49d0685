// Number and text formatting shared by the HTML and Markdown renderings.

export function fixed(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

/** A 0–1 ratio as a percentage. */
export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? '–' : `${(100 * x).toFixed(digits)} %`;
}

export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return '–';
  if (p < 1e-4) return '< 0.0001';
  return p.toPrecision(2);
}

export function signed(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined) return '–';
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}`;
}

export function seconds(x: number | null | undefined): string {
  return x === null || x === undefined ? '–' : `${Math.round(x)} s`;
}

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escapes text for Markdown (chat tools): one line, no markup, no HTML, no table breaks. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}
