/**
 * `createWorker`: the resnet-edge HTTP API (`/v1/classify`, `/v1/detect`, `/v1/models`, `/healthz`) as a
 * module-syntax Worker serving *your* model packages from the static-assets binding. Platform-neutral (runs in
 * Node for tests); in workerd import it from `@resnet-edge/worker/workerd` (or `/workerd-ort`), which hands over
 * the precompiled wasm modules workerd needs.
 */
import { setWebpWasmModule, type BackendName, type BackendRegistry } from '@resnet-edge/core';
import { createApp, type App } from './app.js';
import { loadOrtForWorkerd } from './ort-shim.js';
import { createWorkerBackends } from './worker-backends.js';

/** Options of {@link createWorker}. Everything given here wins over the wrangler.toml vars, which fill in the rest. */
export interface WorkerOptions {
  /**
   * Model ids to serve (an allow-list): each is a model package at `<id>/model.json` in the `ASSETS` binding, with
   * the files its manifest lists (what `resnet-edge quantize` writes). Default: the `MODELS` var.
   */
  models?: string[];
  /**
   * Model used when a request names none. Default: the `DEFAULT_CLASSIFY_MODEL` / `DEFAULT_DETECT_MODEL` vars when
   * they are served, else the first served model of that task.
   */
  defaultModels?: { classify?: string; detect?: string };
  /** Request caps. Default: the `MAX_IMAGE_BYTES` / `MAX_PIXELS` / `MAX_WEBP_PIXELS` vars, else 4 MiB / 48 MP / 8 MP. */
  limits?: { maxImageBytes?: number; maxPixels?: number; maxWebpPixels?: number };
  /** `auto` (own engine, then onnxruntime-web if present), `wasm` or `ort-wasm`. Default: the `BACKEND` var, else `auto`. */
  backend?: Extract<BackendName, 'auto' | 'wasm' | 'ort-wasm'>;
  /** Allowed browser origins (or `['*']`). Default: the `CORS_ORIGINS` var (empty: no CORS). */
  corsOrigins?: string[];
  /**
   * Precompiled wasm modules (workerd cannot compile wasm bytes at runtime): the own engine, libwebp, and
   * onnxruntime-web (optional: without it only the own engine runs, as in the lite build). Outside workerd leave
   * this out and the embedded builds are compiled.
   */
  wasm?: { engine?: WebAssembly.Module; webp?: WebAssembly.Module; ort?: WebAssembly.Module };
  /** Full control over the backends (replaces `wasm.engine` / `wasm.ort`). */
  backends?: BackendRegistry;
}

/**
 * Builds the Worker. The bearer token is never set in code: `wrangler secret put API_TOKEN`.
 *
 * @example
 * ```ts
 * // src/index.ts of your Worker, with [assets] directory = "./models" holding my-resnet50/model.json + its .onnx
 * import { createWorker } from '@resnet-edge/worker/workerd';
 * export default createWorker({ models: ['my-resnet50'], limits: { maxPixels: 48_000_000 } });
 *
 * // a test in Node
 * const worker = createWorker({ models: ['my-resnet50'] });
 * const res = await worker.request('/v1/classify', { method: 'POST', body: png }, { ASSETS });
 * ```
 */
export function createWorker(options: WorkerOptions = {}): App {
  const { wasm } = options;
  if (wasm?.webp) setWebpWasmModule(wasm.webp);
  const ortModule = wasm?.ort;
  const backends =
    options.backends ??
    createWorkerBackends({
      ...(wasm?.engine ? { engineModule: wasm.engine } : {}),
      ort: ortModule ? () => loadOrtForWorkerd({ module: ortModule }) : false,
    });
  return createApp({
    registry: backends,
    settings: {
      models: options.models,
      defaultClassify: options.defaultModels?.classify,
      defaultDetect: options.defaultModels?.detect,
      maxImageBytes: options.limits?.maxImageBytes,
      maxPixels: options.limits?.maxPixels,
      maxWebpPixels: options.limits?.maxWebpPixels,
      backend: options.backend,
      origins: options.corsOrigins,
    },
  });
}

export { createApp, type App, type AppOptions } from './app.js';
export type { Env, AssetsBinding } from './env.js';
export type { HttpErrorCode } from './http-error.js';
