/**
 * The HTTP API: routes, auth, CORS and error rendering around the core runtime. Platform-neutral
 * (runs in workerd and Node); the workerd-specific engine wiring lives in index.ts.
 */
import { ResNetEdgeError, type BackendRegistry } from '@resnet-edge/core';
import { requireBearer } from './auth.js';
import { readInferenceRequest } from './body.js';
import { corsHeaders, preflight } from './cors.js';
import { drainUnread } from './drain.js';
import { readSettings, type Env, type Settings } from './env.js';
import { toHttpError } from './http-error.js';
import { createModelCache, type ModelCache } from './model-cache.js';
import { Router, type ExecutionContext, type RouteContext } from './router.js';
import { ServerTiming } from './server-timing.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Backend registry to load models with; defaults to core's default registry. */
  registry?: BackendRegistry;
  /** Settings fixed in code; they win over the vars (`MODELS`, `MAX_PIXELS`, ...), which fill in the rest. */
  settings?: Partial<Omit<Settings, 'token'>>;
}

/** A Workers module-syntax handler. */
export interface App {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response>;
  /**
   * Calls {@link App.fetch} with a path or Request (relative paths get `http://localhost`) and a no-op context,
   * as hono's `app.request` does: for tests and scripts.
   *
   * @example
   * ```ts
   * const res = await app.request('/v1/classify?topK=1', { method: 'POST', body: png }, { ASSETS });
   * ```
   */
  request(input: string | Request, init: RequestInit | undefined, env: Env, ctx?: ExecutionContext): Promise<Response>;
}

const INFER_PATHS = new Set(['/v1/classify', '/v1/detect']);
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * Builds the worker's fetch handler. Model caches are kept per isolate (per `ASSETS` binding + settings).
 *
 * @example
 * ```ts
 * const app = createApp({});
 * const res = await app.fetch(new Request('http://x/healthz'), env, ctx);
 * ```
 */
export function createApp(options: AppOptions = {}): App {
  const fixed = Object.fromEntries(Object.entries(options.settings ?? {}).filter(([, v]) => v !== undefined)) as Partial<Settings>;
  const settingsOf = (env: Env): Settings => ({ ...readSettings({ env }), ...fixed });
  const caches = new WeakMap<object, { key: string; cache: ModelCache }>();
  const cacheFor = (env: Env, s: Settings): ModelCache => {
    const key = `${s.backend}|${s.models.join(',')}`;
    const hit = caches.get(env.ASSETS);
    if (hit && hit.key === key) return hit.cache;
    const cache = createModelCache({ assets: env.ASSETS, allowed: s.models, backend: s.backend, registry: options.registry });
    caches.set(env.ASSETS, { key, cache });
    return cache;
  };

  const router = new Router<Env>()
    .on({ method: 'GET', path: '/healthz', handler: () => json({ body: { status: 'ok' } }) })
    .on({ method: 'GET', path: '/v1/models', handler: (c) => listModels(c, settingsOf(c.env)) })
    .on({ method: 'POST', path: '/v1/classify', handler: (c) => infer(c, 'classification') })
    .on({ method: 'POST', path: '/v1/detect', handler: (c) => infer(c, 'detection') });

  async function listModels(c: RouteContext<Env>, s: Settings): Promise<Response> {
    const cache = cacheFor(c.env, s);
    const loaded = new Set(cache.loaded());
    const defaults: Record<string, string | undefined> = {
      classification: await defaultModel(cache, s, 'classification').catch(() => undefined),
      detection: await defaultModel(cache, s, 'detection').catch(() => undefined),
    };
    const data = await Promise.all(
      s.models.map(async (id) => {
        try {
          const m = await cache.manifest({ id });
          return {
            id,
            task: m.task,
            labels: m.labels,
            input: { shape: m.input.shape, channels: m.input.channels },
            quantization: m.quantization.format,
            default: id === defaults[m.task],
            loaded: loaded.has(id),
          };
        } catch (e) {
          // One missing package must not hide the others; report it in place.
          return { id, available: false, error: toHttpError(e).code };
        }
      }),
    );
    return json({ body: { data } });
  }

  /** The configured default when it is served, else the first served model of the task (by its manifest). */
  async function defaultModel(cache: ModelCache, s: Settings, task: 'classification' | 'detection'): Promise<string> {
    const configured = task === 'classification' ? s.defaultClassify : s.defaultDetect;
    if (s.models.includes(configured)) return configured;
    for (const id of s.models) {
      const m = await cache.manifest({ id }).catch(() => undefined);
      if (m?.task === task) return id;
    }
    throw new ResNetEdgeError('UNKNOWN_MODEL', `This deployment serves no ${task} model; it serves: ${s.models.join(', ') || 'none'}.`);
  }

  async function infer(c: RouteContext<Env>, task: 'classification' | 'detection'): Promise<Response> {
    const timing = new ServerTiming();
    try {
      return await inferTimed(c, task, timing);
    } catch (e) {
      // Errors keep the timing too: where a rejected image spent its time (parse, decode) is worth seeing.
      const err = toHttpError(e);
      err.headers['server-timing'] = timing.header();
      throw err;
    }
  }

  async function inferTimed(c: RouteContext<Env>, task: 'classification' | 'detection', timing: ServerTiming): Promise<Response> {
    const s = settingsOf(c.env);
    const req = await timing.measure('parse', () =>
      readInferenceRequest({
        request: c.request,
        url: c.url,
        task,
        limits: { maxImageBytes: s.maxImageBytes, maxPixels: s.maxPixels, maxWebpPixels: s.maxWebpPixels },
      }),
    );
    const id = req.model ?? (await defaultModel(cacheFor(c.env, s), s, task));
    const model = await timing.measure('model', () => cacheFor(c.env, s).get({ id }));
    if (model.manifest.task !== task) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `Model "${id}" is a ${model.manifest.task} model; use /v1/${task === 'classification' ? 'detect' : 'classify'}.`);
    }
    const signal = c.request.signal;
    // The same caps inside core's decoders (decode to size, bounded inflate), not only at the header check.
    const preprocess = { maxPixels: s.maxPixels, maxBytes: s.maxImageBytes };
    const result = await timing.measure('infer', () =>
      task === 'classification'
        ? model.classify(req.image, { topK: req.topK ?? 5, signal, preprocess })
        : model.detect(req.image, {
            signal,
            preprocess,
            ...(req.threshold !== undefined ? { scoreThreshold: req.threshold } : {}),
            ...(req.topK !== undefined ? { maxDetections: req.topK } : {}),
            ...(req.nms !== undefined ? { nms: req.nms } : {}),
            ...(req.iou !== undefined ? { iouThreshold: req.iou } : {}),
          }),
    );
    return json({ body: result, headers: { 'x-model': id, 'x-backend': model.backend, 'server-timing': timing.header() } });
  }

  const app: App = {
    request(input, init, env, ctx) {
      // A stream body needs `duplex: 'half'` outside workerd (fetch spec); harmless inside.
      const options = init?.body instanceof ReadableStream ? ({ ...init, duplex: 'half' } as RequestInit) : init;
      const request = typeof input === 'string' ? new Request(new URL(input, 'http://localhost'), options) : new Request(input, options);
      return app.fetch(request, env, ctx ?? { waitUntil: () => undefined, passThroughOnException: () => undefined });
    },
    async fetch(request, env, ctx) {
      const timing = new ServerTiming();
      const url = new URL(request.url);
      const s = settingsOf(env);
      const origin = request.headers.get('origin');
      let res: Response;
      try {
        if (request.method === 'OPTIONS') {
          const methods = router.allowed({ path: url.pathname });
          if (methods.length === 0) router.match({ method: 'OPTIONS', path: url.pathname }); // throws 404
          res = preflight({ origin, allowed: s.origins, methods });
          await drainUnread({ request });
          return res;
        }
        const handler = router.match({ method: request.method, path: url.pathname });
        if (url.pathname.startsWith('/v1/')) await requireBearer({ request, token: s.token });
        res = await handler({ request, url, env, ctx });
        if (request.method === 'HEAD') res = new Response(null, res);
      } catch (e) {
        const err = toHttpError(e);
        // Inference routes time every error, also those raised before the handler (401, 405): README promises it.
        if (INFER_PATHS.has(url.pathname)) err.headers['server-timing'] ??= timing.header();
        // Server-side failures are logged with their cause for `wrangler tail`; callers only see code + message.
        if (err.status >= 500) console.error('resnet-edge worker error', err.code, e);
        res = err.getResponse();
      }
      // A body nobody read (401, 404, 405, refused by Content-Length) is drained before answering, or the
      // keep-alive connection dies under the next request (drain.ts).
      await drainUnread({ request });
      const headers = new Headers(res.headers);
      for (const [k, v] of Object.entries(corsHeaders({ origin, allowed: s.origins }))) headers.set(k, v);
      headers.set('x-content-type-options', 'nosniff');
      headers.set('cache-control', 'no-store');
      return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
    },
  };
  return app;
}

function json(options: { body: unknown; status?: number; headers?: Record<string, string> }): Response {
  return new Response(JSON.stringify(options.body), { status: options.status ?? 200, headers: { ...JSON_HEADERS, ...options.headers } });
}
