/** In-process request helpers for handler tests: one way to call the app and one check of the JSON error contract. */
import { expect } from 'vitest';
import type { App } from '../app.js';
import type { Env } from '../env.js';
import { testCtx } from './fixtures.js';

/** One request of {@link appCaller}: POST with the caller's default headers unless said otherwise. */
export interface CallOptions {
  path: string;
  method?: string;
  body?: BodyInit | null;
  headers?: Record<string, string>;
  env?: Env;
}

/**
 * Returns `call(options)`, which sends one request through `app.fetch` with `env` (or `options.env`) and a fresh
 * {@link testCtx}; stream bodies get `duplex: 'half'` as fetch requires.
 *
 * @example
 * ```ts
 * const call = appCaller({ app: createApp({}), env, headers: { authorization: 'Bearer t' } });
 * const res = await call({ path: '/v1/classify', body: png });
 * ```
 */
export function appCaller(o: { app: App; env: Env; headers: Record<string, string> }): (options: CallOptions) => Promise<Response> {
  return (options) => {
    const init: RequestInit & { duplex?: 'half' } = { method: options.method ?? 'POST', headers: options.headers ?? o.headers };
    if (options.body !== undefined) {
      init.body = options.body;
      if (options.body instanceof ReadableStream) init.duplex = 'half';
    }
    return o.app.fetch(new Request(`http://localhost${options.path}`, init), options.env ?? o.env, testCtx());
  };
}

/**
 * Asserts the JSON error contract: status, JSON content type, the code, a non-empty message and nothing that looks
 * like a stack trace or a source path. Returns the parsed body.
 *
 * @example
 * ```ts
 * await expectJsonError(await call({ path: '/v1/nope' }), 404, 'NOT_FOUND');
 * ```
 */
export async function expectJsonError(res: Response, status: number, code: string): Promise<{ error: { code: string; message: string } }> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await res.text();
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
  return body;
}
