/**
 * Shared helpers for real-browser tests (and the demo's dev server): a static file server on
 * 127.0.0.1 that sends COOP/COEP (so pages are cross-origin isolated: SharedArrayBuffer, precise
 * timers), and a headless Debian Chromium launched through playwright-core with a fresh profile.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';

/** URL prefix -> directory on disk. The longest matching prefix wins. */
export interface StaticRoute {
  prefix: string;
  dir: string;
}

export interface StaticServer {
  /** Origin with trailing slash, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** Request paths served so far (for assertions such as "served from cache, not the network"). */
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** Headers that make the page cross-origin isolated. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Serves directories over HTTP on 127.0.0.1 with COOP/COEP. `/` maps to `index.html`; paths that
 * escape a route's directory are refused.
 *
 * @example
 * ```ts
 * const server = await startStaticServer({ routes: [{ prefix: '/', dir: 'examples/demo/dist' }] });
 * await page.goto(server.url);
 * await server.close();
 * ```
 */
export async function startStaticServer(options: { routes: StaticRoute[]; port?: number; host?: string }): Promise<StaticServer> {
  const routes = [...options.routes]
    .map((r) => ({ prefix: r.prefix.endsWith('/') ? r.prefix : r.prefix + '/', dir: resolve(r.dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const headers: Record<string, string> = { ...ISOLATION_HEADERS, 'Cache-Control': 'no-cache' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    for (const route of routes) {
      if (path !== route.prefix.slice(0, -1) && !path.startsWith(route.prefix)) continue;
      let file = resolve(route.dir, '.' + sep + path.slice(route.prefix.length));
      if (file !== route.dir && !file.startsWith(route.dir + sep)) break; // traversal attempt
      let info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => undefined);
      }
      if (!info?.isFile()) continue;
      headers['Content-Type'] = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      headers['Content-Length'] = String(info.size);
      res.writeHead(200, headers);
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ok());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Flags for headless Debian Chromium in CI-like sandboxes. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the system Chromium is installed (browser suites skip, loudly, when it is not).
 *
 * @example
 * ```ts
 * describe.skipIf(!(await chromiumAvailable()))('demo', () => {});
 * ```
 */
export async function chromiumAvailable(): Promise<boolean> {
  return (await stat(CHROMIUM_PATH).catch(() => undefined))?.isFile() ?? false;
}

export interface LaunchedBrowser {
  context: import('playwright-core').BrowserContext;
  /** The first page of the persistent context. */
  page: import('playwright-core').Page;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh, throw-away user-data dir.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * await browser.page.goto(server.url);
 * await browser.close();
 * ```
 */
export async function launchChromium(options: { args?: string[]; viewport?: { width: number; height: number } } = {}): Promise<LaunchedBrowser> {
  const { chromium } = await import('playwright-core');
  const userDataDir = await mkdtemp(join(tmpdir(), 'resnet-edge-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    viewport: options.viewport ?? { width: 1200, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** One complete trace event (`ph: 'X'`) with wall (`dur`) and thread CPU (`tdur`) time in µs. */
export interface TraceTask {
  name: string;
  thread: string;
  ts: number;
  dur: number;
  tdur?: number;
}

/**
 * Records a Chromium performance trace (devtools.timeline) of a page over CDP. `stop()` returns the
 * top-level tasks of every thread, named (`CrRendererMain`, `DedicatedWorker thread`, ...). Thread CPU
 * time (`tdur`) tells real work from time the OS kept the thread descheduled on a busy machine.
 *
 * @example
 * ```ts
 * const trace = await startTrace({ browser, page });
 * // ...interact...
 * const tasks = await trace.stop();
 * ```
 */
export async function startTrace(options: { browser: LaunchedBrowser; page: import('playwright-core').Page }): Promise<{ stop(): Promise<TraceTask[]> }> {
  const cdp = await options.browser.context.newCDPSession(options.page);
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'], recordMode: 'recordAsMuchAsPossible' },
    transferMode: 'ReturnAsStream',
  });
  return {
    async stop() {
      const complete = new Promise<string>((ok) => cdp.once('Tracing.tracingComplete', (e) => ok(e.stream!)));
      await cdp.send('Tracing.end');
      const handle = await complete;
      let text = '';
      for (;;) {
        const chunk = await cdp.send('IO.read', { handle, size: 1 << 20 });
        text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
        if (chunk.eof) break;
      }
      await cdp.send('IO.close', { handle });
      await cdp.detach().catch(() => {});
      const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
      const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
      const names = new Map<string, string>();
      for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, String(e.args?.name ?? ''));
      return events
        .filter((e) => e.ph === 'X' && e.name === 'RunTask' && typeof e.dur === 'number')
        .map((e) => ({ name: e.name, thread: names.get(`${e.pid}:${e.tid}`) ?? '?', ts: e.ts, dur: e.dur!, ...(e.tdur !== undefined ? { tdur: e.tdur } : {}) }));
    },
  };
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: unknown };
}
