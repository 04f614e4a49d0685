// The committed dashboards/generated/*.json must be exactly what the TypeScript builders make
// now: run `npm run dashboards:build` after changing a dashboard and commit both.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildAll, dashboardJson } from '../../dashboards/index.js';

const GENERATED = fileURLToPath(new URL('../../dashboards/generated/', import.meta.url));

describe('generated dashboards', () => {
  const built = buildAll();

  it('one committed file per dashboard, no strays', () => {
    expect(
      readdirSync(GENERATED)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(built.map((b) => `${b.uid}.json`).sort());
  });

  it.each(built.map((b) => [b.uid, b] as const))('%s.json is what the builder makes', (uid, b) => {
    expect(readFileSync(`${GENERATED}${uid}.json`, 'utf8'), 'run npm run dashboards:build').toBe(dashboardJson(b));
  });

  it('every panel query uses the provisioned ClickHouse or Prometheus data source, and uids are unique', () => {
    expect(new Set(built.map((b) => b.uid)).size).toBe(built.length);
    for (const b of built) {
      for (const panel of b.dashboard.panels ?? []) {
        for (const target of (panel as { targets?: { datasource?: { uid?: string } }[] }).targets ?? []) {
          expect(['callcast-clickhouse', 'callcast-prometheus']).toContain(target.datasource?.uid);
        }
      }
    }
  });

  it("every field override names a column its panel's queries return", () => {
    for (const b of built) {
      const columnsByPanel = new Map<string, Set<string>>();
      for (const q of b.queries) {
        const set = columnsByPanel.get(q.panel) ?? new Set<string>();
        for (const c of Object.keys(q.columns)) set.add(c);
        columnsByPanel.set(q.panel, set);
      }
      for (const panel of b.dashboard.panels ?? []) {
        const p = panel as {
          title?: string;
          fieldConfig?: { overrides?: { matcher: { id: string; options: string } }[] };
        };
        const columns = columnsByPanel.get(p.title ?? '');
        if (!columns) continue; // the Prometheus panel and rows
        for (const o of p.fieldConfig?.overrides ?? []) {
          expect(o.matcher.id).toBe('byName');
          expect(columns, `${b.uid} · ${p.title} · ${o.matcher.options}`).toContain(o.matcher.options);
        }
      }
    }
  });
});
