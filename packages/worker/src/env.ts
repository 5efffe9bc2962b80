/** Worker bindings and vars (see wrangler.toml) and their parsing into typed settings. */
import { BUILTIN_MODELS, DEFAULT_MAX_PIXELS, DEFAULT_MODELS, type BackendName } from '@resnet-edge/core';

/** The part of the Workers static-assets binding (a Fetcher) the worker uses. */
export interface AssetsBinding {
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
}

/** Bindings: `ASSETS` from `[assets]`, the rest from `[vars]` and `wrangler secret put`. */
export interface Env {
  ASSETS: AssetsBinding;
  /** Secret; when set, `/v1/*` requires `Authorization: Bearer <API_TOKEN>`. */
  API_TOKEN?: string;
  /** Comma-separated allowed origins, or `*`; empty disables CORS. */
  CORS_ORIGINS?: string;
  /** Comma-separated model ids this deployment serves (an allow-list; asset paths are never caller-built otherwise). */
  MODELS?: string;
  DEFAULT_CLASSIFY_MODEL?: string;
  DEFAULT_DETECT_MODEL?: string;
  /** Max encoded image size in bytes (JSON bodies may be ~4x this). */
  MAX_IMAGE_BYTES?: string | number;
  /** Max width*height, checked from the image header before decoding (default 48 MP: core decodes to size). */
  MAX_PIXELS?: string | number;
  /** Max width*height of a WebP (default 8 MP): WebP is decoded at full size, in a wasm memory that never shrinks. */
  MAX_WEBP_PIXELS?: string | number;
  /** Inference backend: `auto` (default: own `wasm` engine, else `ort-wasm`), `wasm` or `ort-wasm`. */
  BACKEND?: string;
}

/** Parsed, defaulted settings. */
export interface Settings {
  token: string | undefined;
  origins: string[];
  models: string[];
  defaultClassify: string;
  defaultDetect: string;
  maxImageBytes: number;
  maxPixels: number;
  maxWebpPixels: number;
  backend: BackendName;
}

/**
 * WebP has no decode-to-size in core (the bundled libwebp has no scaled decoding) and costs about 9 bytes per pixel
 * of isolate memory: measured with a 12.2 MP WebP, 61 MB of libwebp wasm memory that never shrinks, plus its 49 MB
 * RGBA result, which the decoder holds until the next WebP (workerd's inspector shows those +49 MB after GC).
 * 8 MP (~72 MB) leaves room for the shipped models under the 128 MB isolate limit; JPEG and PNG go to 48 MP.
 */
export const DEFAULT_MAX_WEBP_PIXELS = 8_000_000;

const BACKENDS: readonly BackendName[] = ['auto', 'wasm', 'webgpu', 'ort-wasm', 'ort-webgpu'];

/**
 * Reads settings from the env with safe defaults (4 MiB images, 48 megapixels, 8 for WebP).
 *
 * @example
 * ```ts
 * const s = readSettings({ env }); // s.maxImageBytes === 4194304 unless MAX_IMAGE_BYTES is set
 * ```
 */
export function readSettings(options: { env: Env }): Settings {
  const { env } = options;
  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const models = list(env.MODELS ?? BUILTIN_MODELS.join(','));
  const backend = (env.BACKEND ?? 'auto') as BackendName;
  return {
    token: env.API_TOKEN || undefined,
    origins: list(env.CORS_ORIGINS).map((o) => o.replace(/\/+$/, '')),
    models,
    defaultClassify: env.DEFAULT_CLASSIFY_MODEL ?? DEFAULT_MODELS.classification,
    defaultDetect: env.DEFAULT_DETECT_MODEL ?? DEFAULT_MODELS.detection,
    maxImageBytes: positiveInt(env.MAX_IMAGE_BYTES, 4 * 1024 * 1024),
    maxPixels: positiveInt(env.MAX_PIXELS, DEFAULT_MAX_PIXELS),
    maxWebpPixels: positiveInt(env.MAX_WEBP_PIXELS, DEFAULT_MAX_WEBP_PIXELS),
    backend: BACKENDS.includes(backend) ? backend : 'auto',
  };
}

function positiveInt(v: string | number | undefined, fallback: number): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
