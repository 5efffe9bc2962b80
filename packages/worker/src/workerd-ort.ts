/**
 * `createWorker` for workerd with the own int8 engine and onnxruntime-web's wasm build as the fallback for graphs
 * the own engine cannot run (`BACKEND=auto`), or as the only backend (`ort-wasm`). ORT's 13.6 MB wasm makes the
 * upload ~3.8 MB gzipped: over the Workers Free plan's 3 MB, within Paid's 10 MB. ORT gets its precompiled
 * module through the instantiate shim (ort-shim.ts).
 *
 * @example
 * ```ts
 * import { createWorker } from '@resnet-edge/worker/workerd-ort';
 * export default createWorker({ models: ['my-resnet50'] });
 * ```
 */
import ort from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import webp from '@jsquash/webp/codec/dec/webp_dec.wasm';
import engine from '@resnet-edge/core/wasm/engine-relaxed.wasm';
import { createWorker as createAnyWorker, type App, type WorkerOptions } from './create-worker.js';

/**
 * The Worker on the own engine with onnxruntime-web as fallback; options as for the platform-neutral `createWorker`.
 *
 * @example
 * ```ts
 * export default createWorker({ models: ['my-resnet50'], backend: 'auto' });
 * ```
 */
export function createWorker(options: Omit<WorkerOptions, 'wasm'> = {}): App {
  return createAnyWorker({ ...options, wasm: { engine, webp, ort } });
}

export type { App, Env, WorkerOptions } from './create-worker.js';
