// The CLI's JSON names: snake_case like the API, first-shipped camelCase names kept after them.
import { describe, expect, it } from 'vitest';
import { snakeCase, snakeKeys } from '../../src/cli/output.js';

describe('CLI output names', () => {
  it('turns camelCase into snake_case and leaves snake_case and digits alone', () => {
    expect(['runId', 'understaffedHalfHours', 'fitMs', 'coverage80', 'snaive_week', 'HTTPCode'].map(snakeCase)).toEqual(
      ['run_id', 'understaffed_half_hours', 'fit_ms', 'coverage80', 'snaive_week', 'http_code'],
    );
  });

  it('renames keys at every depth, keeps the old names after the new ones, and leaves data keys alone', () => {
    const out = snakeKeys(
      { runId: 'r1', series: [{ fitMs: 12, queue: 'billing' }], selectionWape: { mstlEts: 0.2 }, lines: 3 },
      { dataKeys: ['selection_wape'] },
    );
    expect(JSON.stringify(out)).toBe(
      '{"run_id":"r1","series":[{"fit_ms":12,"queue":"billing","fitMs":12}],"selection_wape":{"mstlEts":0.2},"lines":3,' +
        '"runId":"r1","selectionWape":{"mstlEts":0.2}}',
    );
    expect(snakeKeys({ runId: 'r1', n: null }, { keepCamel: false })).toEqual({ run_id: 'r1', n: null });
  });
});
