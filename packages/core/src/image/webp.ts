/**
 * WebP decoding through @jsquash/webp (libwebp compiled to wasm).
 *
 * How the wasm gets instantiated differs per runtime, and this is the part to know:
 * - Node: the `.wasm` file is read from node_modules and compiled here, on first use.
 * - Browsers: decodeImage() prefers the platform decoder; if that is unavailable, jsquash fetches its `.wasm`
 *   next to its JS (bundlers handle this).
 * - Cloudflare Workers (workerd): compiling wasm from bytes is forbidden, so the Worker must import the module
 *   and hand it over once at startup:
 *   ```ts
 *   import webpWasm from '@jsquash/webp/codec/dec/webp_dec.wasm'; // wrangler turns this into a WebAssembly.Module
 *   setWebpWasmModule(webpWasm);
 *   ```
 *   Without that call, WebP input fails with `UNSUPPORTED_IMAGE_FORMAT` (details.reason = 'decoder-unavailable').
 */
import { ImageInputError } from '../errors.js';
import type { ImageInfo, RgbaImage } from './types.js';

type JsquashDecode = (buffer: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
interface JsquashModule {
  default: JsquashDecode;
  init: (module?: WebAssembly.Module, opts?: Record<string, unknown>) => Promise<void>;
}

let wasmModule: WebAssembly.Module | undefined;
let compiled: Promise<WebAssembly.Module | undefined> | undefined;
let ready: Promise<JsquashDecode> | undefined;

/**
 * Wasm memory only grows: after an image this big (RGBA bytes) the instance is dropped and the next decode starts a
 * fresh one from the compiled module (a millisecond), so one large upload does not pin its memory for the process's
 * (or a Worker isolate's) lifetime.
 */
const FRESH_INSTANCE_AFTER_BYTES = 16 * 2 ** 20;

/**
 * Supplies a precompiled libwebp decoder module (required on Cloudflare Workers, optional elsewhere).
 * Call before the first WebP decode.
 *
 * @example
 * ```ts
 * import webpWasm from '@jsquash/webp/codec/dec/webp_dec.wasm';
 * setWebpWasmModule(webpWasm);
 * ```
 */
export function setWebpWasmModule(module: WebAssembly.Module): void {
  wasmModule = module;
  compiled = undefined;
  ready = undefined;
}

/** In Node, read and compile the wasm that ships with @jsquash/webp. `getBuiltinModule` avoids a `node:` import that Worker/browser bundlers would trip on. */
async function nodeWasm(): Promise<WebAssembly.Module | undefined> {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return undefined;
  const { createRequire } = proc.getBuiltinModule('node:module') as typeof import('node:module');
  const { readFile } = proc.getBuiltinModule('node:fs/promises') as typeof import('node:fs/promises');
  const path = createRequire(import.meta.url).resolve('@jsquash/webp/codec/dec/webp_dec.wasm');
  return WebAssembly.compile(await readFile(path));
}

/** A 1x1 lossless WebP (pixel 1,2,3,255), decoded once to prove the wasm actually instantiated. */
const PROBE = Uint8Array.from([
  82, 73, 70, 70, 32, 0, 0, 0, 87, 69, 66, 80, 86, 80, 56, 76, 20, 0, 0, 0, 47, 0, 0, 0, 0, 7, 80, 129, 84, 8, 32, 0, 10, 154, 254, 199,
  136, 136, 254, 7,
]);

async function load(): Promise<JsquashDecode> {
  const mod = (await import('@jsquash/webp/decode.js')) as unknown as JsquashModule;
  compiled ??= wasmModule ? Promise.resolve(wasmModule) : nodeWasm();
  await mod.init(await compiled);
  // Without a module, jsquash fetches its .wasm itself: fine in browsers, impossible in workerd. Its failure
  // surfaces only at decode time, so probe here to tell "no decoder" apart from "corrupt file".
  const probe = await mod.default(PROBE.slice().buffer);
  if (probe.width !== 1 || probe.data[2] !== 3) throw new Error('WebP decoder self-test failed');
  return mod.default;
}

/**
 * Decodes WebP bytes to RGBA with libwebp. The caller has already checked the header size against its pixel limit.
 *
 * @example
 * ```ts
 * const img = await decodeWebp(bytes, sniffImage(bytes));
 * ```
 */
export async function decodeWebp(bytes: Uint8Array, info: ImageInfo): Promise<RgbaImage> {
  let decode: JsquashDecode;
  try {
    ready ??= load();
    decode = await ready;
  } catch (cause) {
    ready = undefined;
    compiled = undefined;
    throw new ImageInputError('UNSUPPORTED_IMAGE_FORMAT', 'No WebP decoder is available in this runtime; call setWebpWasmModule() first.', {
      cause,
      details: { format: 'webp', reason: 'decoder-unavailable' },
    });
  }
  // jsquash wants an ArrayBuffer; copy only when the view does not cover its whole buffer.
  const buf =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
      ? bytes.buffer
      : new Uint8Array(bytes).buffer; // a copy (a Node Buffer's slice() would be a view)
  let img;
  try {
    img = await decode(buf);
    if (info.width! * info.height! * 4 > FRESH_INSTANCE_AFTER_BYTES) ready = undefined;
  } catch (cause) {
    throw new ImageInputError('IMAGE_DECODE_FAILED', 'The WebP data is corrupt or truncated.', { cause, details: { format: 'webp' } });
  }
  if (!img || img.width !== info.width || img.height !== info.height || img.data.length !== img.width * img.height * 4) {
    throw new ImageInputError('IMAGE_DECODE_FAILED', 'The WebP decoder returned an image that does not match its header.', {
      details: { format: 'webp' },
    });
  }
  return { width: img.width, height: img.height, data: img.data };
}
