// What the CLI prints as JSON follows the API's convention (docs/api.md, Names and units):
// snake_case keys. Keys that shipped in camelCase stay beside their snake_case name, deprecated,
// so scripts reading them keep working (listed after the snake_case keys of each object).

/** `selectionWape` → `selection_wape`; `p95` and `snaive_week` stay as they are. */
export function snakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * A copy of `value` with every object key in snake_case, and (with `keepCamel`) each renamed key
 * also under its old name. Map-like objects whose keys are data (model names, dates) are
 * left alone when listed in `dataKeys` (by the snake_case name of the key that holds them).
 */
export function snakeKeys(
  value: unknown,
  options: { keepCamel?: boolean; dataKeys?: readonly string[] } = {},
): unknown {
  const keepCamel = options.keepCamel ?? true;
  const dataKeys = new Set(options.dataKeys ?? []);
  const walk = (v: unknown, isData: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, false));
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
    const entries = Object.entries(v as Record<string, unknown>);
    if (isData) return Object.fromEntries(entries.map(([k, x]) => [k, walk(x, false)]));
    const out: Record<string, unknown> = {};
    const renamed: [string, unknown][] = [];
    for (const [k, x] of entries) {
      const s = snakeCase(k);
      const converted = walk(x, dataKeys.has(s));
      out[s] = converted;
      if (keepCamel && s !== k) renamed.push([k, converted]);
    }
    for (const [k, x] of renamed) out[k] = x;
    return out;
  };
  return walk(value, false);
}
