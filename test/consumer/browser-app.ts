/**
 * Browser helpers of the consumer tier: serve a built app (COOP/COEP, as the browser tier does), open it in headless
 * Debian Chromium, wait for the page's `window.result`, and measure what the page downloaded.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, startStaticServer, type LaunchedBrowser } from '../browser/harness.js';

/** What a page put in `window.result`. */
export interface PageResult {
  backend?: string;
  top?: { label: string; score: number }[];
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/** gzip size of each JavaScript / wasm file the page requested, split into app code and model chunks. */
export interface Transfer {
  files: { path: string; bytes: number; gzip: number; model: boolean }[];
  /** JS + wasm, excluding the built-in model chunks (and the page's sample image, not JS). */
  codeGzip: number;
  modelGzip: number;
}

/**
 * Opens `url` and waits for `window.result` (set by every consumer page on success and on failure).
 *
 * @example
 * ```ts
 * const result = await pageResult({ browser, url: server.url + 'worker.html' });
 * ```
 */
export async function pageResult(o: { browser: LaunchedBrowser; url: string; timeoutMs?: number; screenshot?: string }): Promise<PageResult> {
  const { page } = o.browser;
  const errors: string[] = [];
  const onError = (e: Error) => errors.push(e.message);
  page.on('pageerror', onError);
  try {
    await page.goto(o.url);
    await page.waitForFunction(() => (window as { result?: unknown }).result !== undefined, null, { timeout: o.timeoutMs ?? 120_000 }).catch(async () => {
      throw new Error(`${o.url}: no result (page errors: ${errors.join('; ') || 'none'}; text: ${await page.textContent('body').catch(() => '')})`);
    });
    if (o.screenshot) await page.screenshot({ path: o.screenshot });
    return (await page.evaluate(() => (window as { result?: unknown }).result)) as PageResult;
  } finally {
    page.off('pageerror', onError);
  }
}

/**
 * Serves `dir`, opens `page` in it and returns the result and what was downloaded.
 *
 * @example
 * ```ts
 * const { result, transfer } = await runBuiltApp({ browser, dir: 'esbuild-app/dist', page: 'index.html' });
 * ```
 */
export async function runBuiltApp(o: { browser: LaunchedBrowser; dir: string; page?: string; screenshot?: string }): Promise<{ result: PageResult; transfer: Transfer }> {
  const server = await startStaticServer({ routes: [{ prefix: '/', dir: o.dir }] });
  try {
    const result = await pageResult({ browser: o.browser, url: server.url + (o.page ?? ''), ...(o.screenshot ? { screenshot: o.screenshot } : {}) });
    return { result, transfer: measure(o.dir, server.requests) };
  } finally {
    await server.close();
  }
}

/** gzip sizes of the requested .js/.mjs/.wasm files under `dir`. */
export function measure(dir: string, requests: string[]): Transfer {
  const files = [...new Set(requests)]
    .filter((p) => /\.(m?js|wasm)$/.test(p))
    .filter((p) => statSync(join(dir, p), { throwIfNoEntry: false })?.isFile())
    .map((p) => {
      const bytes = readFileSync(join(dir, p));
      // A built-in model chunk holds its manifest (bundlers may name the chunk by number, as webpack does).
      const model = /schemaVersion"?:1,"?id"?:["`]fmnist-/.test(bytes.toString('latin1'));
      return { path: p, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, model };
    });
  const sum = (f: typeof files) => f.reduce((n, x) => n + x.gzip, 0);
  return { files, codeGzip: sum(files.filter((f) => !f.model)), modelGzip: sum(files.filter((f) => f.model)) };
}

export { launchChromium };
