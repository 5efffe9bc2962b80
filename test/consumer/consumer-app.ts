/**
 * The consumer app: a directory outside the workspace (~/.cache/resnet-edge/consumer/app by default, reused between
 * runs so third-party installs are cached) holding one package.json for every scenario, the packed tarballs, and the
 * scenario sources copied from test/consumer/apps/.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const APP_DIR = process.env.RESNET_EDGE_CONSUMER_DIR ?? join(homedir(), '.cache/resnet-edge/consumer/app');
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/consumer');

/**
 * The environment of a fresh shell: without the npm_* variables npm sets for the script running this tier (the repo's
 * .npmrc settings would leak into the consumer's npm commands).
 */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

/** One packed package, as `npm pack --json` reports it. */
export interface PackedPackage {
  name: string;
  filename: string;
  /** Compressed tarball bytes. */
  size: number;
  unpackedSize: number;
  files: string[];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command in the app directory (never throws: callers assert on the exit code and output).
 *
 * @example
 * ```ts
 * const r = await run('node', ['node-esm/app.mjs']);
 * ```
 */
export function run(cmd: string, args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((ok) => {
    execFile(
      cmd,
      args,
      { cwd: options.cwd ?? APP_DIR, env: { ...cleanEnv(), ...options.env }, timeout: options.timeoutMs ?? 240_000, maxBuffer: 64 * 2 ** 20 },
      (err, stdout, stderr) => ok({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts a long-running command (a dev server) and resolves once `ready` matches its output.
 *
 * @example
 * ```ts
 * const dev = await startProcess({ cmd: 'node', args: ['node_modules/vite/bin/vite.js'], ready: /Local:/ });
 * await dev.stop();
 * ```
 */
export async function startProcess(o: {
  cmd: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  ready: RegExp;
  timeoutMs?: number;
}): Promise<{ output: () => string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(o.cmd, o.args, { cwd: o.cwd ?? APP_DIR, env: { ...cleanEnv(), FORCE_COLOR: '0', NO_COLOR: '1', ...o.env }, detached: true });
  let output = '';
  const stop = () =>
    new Promise<void>((ok) => {
      if (child.exitCode !== null) return ok();
      child.once('exit', () => ok());
      try {
        process.kill(-child.pid!, 'SIGTERM'); // the whole group: vite may start helpers
      } catch {
        ok();
      }
    });
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${o.cmd} ${o.args.join(' ')} not ready after ${o.timeoutMs ?? 60_000} ms:\n${output}`)), o.timeoutMs ?? 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (o.ready.test(output)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${o.cmd} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { output: () => output, stop };
}
