// One way to run the CLI (or any node script) as a child process and collect what it printed:
// tests of `callcast` commands and bench/cli.ts share it. Never rejects on a non-zero exit: the
// caller asserts on `code` (use `succeeded` when anything else is a setup failure).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** `callcast` from the TypeScript sources (tsx loader) and from the compiled build (plain node). */
export const TSX_CLI = ['--import', 'tsx', 'src/cli.ts'] as const;
export const COMPILED_CLI = ['bin/callcast.js'] as const;

export interface RunResult {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

export interface RunOptions {
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Default: the project root. */
  cwd?: string;
}

/** Runs `node <args>` and resolves with its exit and output once it exits. */
export function runNode(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (code, signal) =>
      done({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      }),
    );
  });
}

/** `callcast <args>` from the sources. */
export function callcast(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runNode([...TSX_CLI, ...args], options);
}

/** The result when the process exited 0; otherwise an error carrying its exit and stderr. */
export function succeeded(result: RunResult, what = 'node'): RunResult {
  if (result.code !== 0)
    throw new Error(`${what} exited ${result.code ?? result.signal}:\n${result.stderr}${result.stdout}`);
  return result;
}
