/** `load()`: resolve a model package (built-in ids from `@resnet-edge/models`), verify it, open a session. */
import { importBuiltinModel } from '../package/builtin-models.js';
import type { ModelSource } from '../package/resolve.js';
import { loadModel, type LoadOptions } from './load-model.js';
import { normalizeLoadArgs } from './load-options.js';
import type { ResNetModel } from './model.js';

export type { LoadOptions } from './load-model.js';

/**
 * Loads a model and prepares it for inference: a built-in id, a model package (`model.json`), a Hugging Face folder,
 * an ONNX file or bytes (see {@link LoadOptions.model}). Unknown or misplaced option keys, and option values out of
 * range (`numThreads: 0`, `preprocess: { maxPixels: NaN }`), are `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * import { load } from '@resnet-edge/core';
 * const model = await load({ model: 'fmnist-resnet20' });
 * console.log(model.backend, await model.classify(pngBytes));
 * const resnet = await load({ model: 'https://huggingface.co/Xenova/resnet-50', dtype: 'q8' });
 * ```
 */
export async function load(options: LoadOptions): Promise<ResNetModel>;
/** `{ manifest, bytes }` with the options beside them: `load({ manifest, bytes, backend: 'ort-wasm' })`. */
export async function load(pkg: { manifest: unknown; bytes: Uint8Array | ArrayBuffer } & Omit<LoadOptions, 'model'>): Promise<ResNetModel>;
/** Shorthand: `load('fmnist-resnet20', { backend: 'wasm' })`. */
export async function load(model: ModelSource, options?: Omit<LoadOptions, 'model'>): Promise<ResNetModel>;
export async function load(a: unknown, b?: unknown): Promise<ResNetModel> {
  const options = normalizeLoadArgs(a, b) as unknown as LoadOptions;
  return loadModel({ ...options, builtins: importBuiltinModel });
}
