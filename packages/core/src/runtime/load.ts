/** `load()`: resolve a model package (built-in ids from `@resnet-edge/models`), verify it, open a session. */
import { importBuiltinModel } from '../package/builtin-models.js';
import type { ModelSource } from '../package/resolve.js';
import { loadModel, type LoadOptions } from './load-model.js';
import type { ResNetModel } from './model.js';

export type { LoadOptions } from './load-model.js';

/**
 * Loads a model package and prepares it for inference.
 *
 * @example
 * ```ts
 * import { load } from '@resnet-edge/core';
 * const model = await load({ model: 'fmnist-resnet20' });
 * console.log(model.backend, await model.classify(pngBytes));
 * ```
 */
export async function load(options: LoadOptions): Promise<ResNetModel>;
/** Shorthand: `load('fmnist-resnet20', { backend: 'wasm' })`. */
export async function load(model: ModelSource, options?: Omit<LoadOptions, 'model'>): Promise<ResNetModel>;
export async function load(a: LoadOptions | ModelSource, b?: Omit<LoadOptions, 'model'>): Promise<ResNetModel> {
  const options: LoadOptions =
    typeof a === 'string' || a instanceof URL || (a && typeof a === 'object' && 'bytes' in a) ? { ...b, model: a as ModelSource } : (a as LoadOptions);
  return loadModel({ ...options, builtins: importBuiltinModel });
}
