/**
 * `createWorker` for workerd with the own int8 engine only (no onnxruntime-web): the precompiled engine and libwebp
 * modules are imported here (wrangler's CompiledWasm rule; workerd cannot compile wasm bytes) and handed over.
 * About 0.19 MB gzipped, so it fits the Workers Free plan. Graphs the own engine cannot run answer 503
 * BACKEND_UNAVAILABLE; `@resnet-edge/worker/workerd-ort` adds onnxruntime-web for them.
 *
 * @example
 * ```ts
 * import { createWorker } from '@resnet-edge/worker/workerd';
 * export default createWorker({ models: ['my-resnet50'] });
 * ```
 */
import webp from '@jsquash/webp/codec/dec/webp_dec.wasm';
// Relaxed-SIMD build of the own engine (5 KB). It runs the SIMD128 kernel by default (faster on x64 without AVX-VNNI);
// relaxedMode: 1 opts into the relaxed dot-add, which the engine self-tests at startup.
import engine from '@resnet-edge/core/wasm/engine-relaxed.wasm';
import { createWorker as createAnyWorker, type App, type WorkerOptions } from './create-worker.js';

/**
 * The Worker on the own engine; options as for the platform-neutral `createWorker` (minus `wasm`).
 *
 * @example
 * ```ts
 * export default createWorker({ models: ['my-resnet50'], limits: { maxPixels: 48_000_000 } });
 * ```
 */
export function createWorker(options: Omit<WorkerOptions, 'wasm'> = {}): App {
  return createAnyWorker({ ...options, wasm: { engine, webp } });
}

export type { App, Env, WorkerOptions } from './create-worker.js';
