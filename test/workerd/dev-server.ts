/**
 * Starts the real Worker (root wrangler.toml) under `wrangler dev` (local workerd) on 127.0.0.1 and
 * stops it again. Used by the workerd integration tests and the load test.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A running dev server. */
export interface DevServer {
  url: string;
  /** The wrangler process id (workerd runs as its descendant). */
  pid: number;
  /** Resident memory of the workerd process(es) under this server, in bytes (Linux /proc), or null. */
  workerdRss(): number | null;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
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
 * Stages an assets directory of the test's own: the shipped model packages (by the same script wrangler's
 * `[build] command` runs) plus whatever `extra` writes. Tests pass it as `assetsDir`, because every `wrangler dev`
 * start re-stages packages/worker/.assets and would drop packages a test wrote there.
 *
 * @example
 * ```ts
 * const assetsDir = stageAssets({ extra: (root) => writeTinyPackage({ root }) });
 * const server = await startDevServer({ assetsDir });
 * ```
 */
export function stageAssets(options: { extra?: (root: string) => void; models?: string[] } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'resnet-edge-workerd-assets-'));
  const args = [join(REPO_ROOT, 'packages/worker/scripts/stage-assets.mjs'), '--out', root];
  if (options.models) args.push('--models', options.models.join(','));
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  options.extra?.(root);
  return root;
}

/**
 * Starts `wrangler dev` (the root wrangler.toml, or `config`) with extra vars (e.g. `API_TOKEN`, which in production is a
 * secret).
 *
 * @example
 * ```ts
 * const server = await startDevServer({ vars: { API_TOKEN: 't' } });
 * await fetch(`${server.url}/healthz`);
 * await server.stop();
 * ```
 */
export async function startDevServer(
  options: { vars?: Record<string, string>; env?: string; timeoutMs?: number; inspectorPort?: number; assetsDir?: string; config?: string } = {},
): Promise<DevServer> {
  const port = await freePort();
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--show-interactive-dev-session=false', '--log-level', 'warn'];
  if (options.inspectorPort) args.push('--inspector-port', String(options.inspectorPort));
  if (options.env) args.push('--env', options.env);
  if (options.assetsDir) args.push('--assets', options.assetsDir);
  if (options.config) args.push('--config', options.config);
  for (const [k, v] of Object.entries(options.vars ?? {})) args.push('--var', `${k}:${v}`);
  const child: ChildProcess = spawn(join(REPO_ROOT, 'node_modules/.bin/wrangler'), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() can end wrangler and workerd together
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += String(d)));
  child.stderr!.on('data', (d) => (log += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${log.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      stopGroup(child);
      throw new Error(`wrangler dev did not become ready in time:\n${log.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    pid: child.pid!,
    workerdRss: () => workerdRss(child.pid!),
    stop: async () => {
      stopGroup(child);
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    },
  };
}

function stopGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGTERM'); // the group we created above, nothing else
  } catch {
    /* already gone */
  }
}

/** Sums VmRSS of `workerd` processes descending from `rootPid`. */
function workerdRss(rootPid: number): number | null {
  try {
    const parent = new Map<number, number>();
    const name = new Map<number, string>();
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const m = /^\d+ \((.*)\) \S (\d+)/.exec(stat);
        if (m) {
          parent.set(Number(d), Number(m[2]));
          name.set(Number(d), m[1]);
        }
      } catch {
        /* exited */
      }
    }
    let total = 0;
    let found = false;
    for (const [pid, n] of name) {
      if (!n.startsWith('workerd')) continue;
      let p: number | undefined = pid;
      while (p && p !== rootPid) p = parent.get(p);
      if (p !== rootPid) continue;
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (kb) {
        total += Number(kb[1]) * 1024;
        found = true;
      }
    }
    return found ? total : null;
  } catch {
    return null;
  }
}

/**
 * `fetch` over a fresh TCP connection per request (no keep-alive). wrangler dev's proxy closes idle
 * keep-alive sockets after ~5 s; on a busy machine a pooled socket can be reused just as it closes
 * ("other side closed"), which would make the tests flaky for reasons unrelated to the Worker.
 *
 * @example
 * ```ts
 * const res = await freshFetch(`${server.url}/healthz`);
 * ```
 */
export async function freshFetch(url: string, init: { method?: string; body?: Uint8Array | string; headers?: Record<string, string> } = {}): Promise<Response> {
  const body = typeof init.body === 'string' ? Buffer.from(init.body) : init.body ? Buffer.from(init.body) : undefined;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: init.method ?? 'GET', agent: false, headers: { ...init.headers, connection: 'close', ...(body ? { 'content-length': String(body.byteLength) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 0;
          const payload = status === 204 || status === 304 || init.method === 'HEAD' ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, headers }));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
