import { describe, expect, it } from 'vitest';
import { callcast as run } from '../support/cli-run.js';

const callcast = (...args: string[]) => run(args);

describe('callcast staffing / schedule', () => {
  it('prints the staffing JSON contract (Erlang C)', async () => {
    const r = await callcast(
      'staffing',
      '--calls',
      '100',
      '--interval',
      '1800',
      '--aht',
      '180',
      '--sl',
      '0.8',
      '--threshold',
      '20',
      '--shrinkage',
      '0.3',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // snake_case as in the API; the first-shipped camelCase names follow, deprecated, same values.
    expect(Object.keys(out)).toEqual([
      'agents',
      'scheduled',
      'service_level',
      'asa_s',
      'occupancy',
      'abandon_rate',
      'model',
      'serviceLevel',
      'asa',
      'abandonRate',
    ]);
    expect(out).toMatchObject({ agents: 14, scheduled: 20, abandon_rate: 0, model: 'erlang-c' });
    expect(out.service_level).toBeCloseTo(0.88835, 5);
    expect([out.serviceLevel, out.asa, out.abandonRate]).toEqual([out.service_level, out.asa_s, out.abandon_rate]);
  });

  it('uses Erlang A with --patience', async () => {
    const r = await callcast(
      'staffing',
      '--calls',
      '100',
      '--aht',
      '180',
      '--sl',
      '0.8',
      '--threshold',
      '20',
      '--patience',
      '120',
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ agents: 12, scheduled: 12, model: 'erlang-a' });
  });

  it('names the invalid flag and exits non-zero', async () => {
    const r = await callcast('staffing', '--calls', '100', '--aht', '180', '--sl', '1.5', '--threshold', '20');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--sl/);
    const unreachable = await callcast(
      'staffing',
      '--calls',
      '100',
      '--aht',
      '180',
      '--sl',
      '0.8',
      '--threshold',
      '20',
      '--asa',
      '0',
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/unreachable/);
  });

  it('plans the example week', async () => {
    const r = await callcast(
      'schedule',
      '--requirements',
      'examples/staffing/req.csv',
      '--patterns',
      'examples/staffing/patterns.json',
    );
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.understaffed_half_hours).toBe(0);
    expect(plan.understaffedHalfHours).toBe(0);
    expect(plan.shifts[0]).toHaveProperty('cost_per_agent');
    expect(plan.shifts[0].costPerAgent).toBe(plan.shifts[0].cost_per_agent);
    expect(plan.coverage).toHaveLength(7 * 48);
    expect(plan.gap).toBeLessThanOrEqual(0.01);
    const missing = await callcast(
      'schedule',
      '--requirements',
      'nope.csv',
      '--patterns',
      'examples/staffing/patterns.json',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--requirements/);
  });
});
