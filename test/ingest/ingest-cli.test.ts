// `callcast ingest` on a file with refused lines: the JSON result on stdout, then how many lines
// were refused and the first reasons by line number on stderr, and exit status 1. A clean file
// exits 0 with nothing on stderr.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'callcast-ingest-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ingest(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', '--file', file], {
    env: { ...process.env, CALLCAST_DATA_DIR: join(dir, 'store') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const event = (n: number) =>
  JSON.stringify({
    event_id: `6f1c2b1e-8d3a-4c55-9a11-00000000000${n}`,
    type: 'contact.queued',
    occurred_at: '2026-11-02T09:00:00Z',
    contact_id: `c${n}`,
    queue: 'billing',
    channel: 'voice',
  });

describe('callcast ingest', () => {
  it('exits 1 naming how many lines were refused and why; exits 0 on a clean file', async () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, [event(1), '{"event_id": "broken', '', event(2), '{"type":"contact.abandoned"}', ''].join('\n'));
    const failed = await ingest(bad);
    expect(failed.code).toBe(1);
    const result = JSON.parse(failed.stdout) as Record<string, unknown>;
    expect(result.lines).toBe(4);
    expect(result.stored).toBe(2);
    expect(result.deadLettered).toBe(2);
    expect(failed.stderr).toBe(
      'callcast ingest: 2 of 4 lines refused (kept in dead_letters); first reasons:\n' +
        `  line 2: ${(result.failures as { error: string }[])[0]!.error}\n` +
        '  line 5: missing required field event_id, occurred_at, contact_id\n',
    );
    expect((result.failures as { error: string }[])[0]!.error).toMatch(/^invalid JSON: /);

    const good = join(dir, 'good.ndjson');
    writeFileSync(good, `${event(3)}\n`);
    const ok = await ingest(good);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toEqual({ lines: 1, stored: 1, dead_lettered: 0, failures: [], deadLettered: 0 });
  }, 120_000);
});
