// The real service as a child process (`callcast serve` under tsx), for tests that signal or
// kill it. Resolves once the service prints its URL; fails with its output if it exits first.
import { spawn, type ChildProcess } from 'node:child_process';
import { until } from './poll.js';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every service these helpers started that is still running (for afterAll). */
export function killServeProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Starts `callcast serve` on a free port with these settings on top of the test's environment. */
export async function startServeProcess(env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => (running.delete(child), resolve(code))),
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let url = '';
  await until('the service to print its URL', 60_000, () => {
    url = /running at (http:\/\/\S+)/.exec(output)?.[1] ?? '';
    if (child.exitCode !== null) throw new Error(`serve exited early:\n${output}`);
    return url !== '';
  });
  return { child, url, exited };
}
