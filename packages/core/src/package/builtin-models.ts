/**
 * Built-in models, served by the `@resnet-edge/models` package (a dependency of core): one module per model with its
 * manifest and bytes, imported only when that id is loaded. The specifiers are literal so bundlers split each model
 * into its own lazily loaded chunk. Code that must not pull the models into its bundle (the Web Worker script, where
 * Vite's default worker format would inline them) uses resolve.ts's resolvePackage without this module.
 */
import { ModelLoadError } from '../errors.js';
import type { BuiltinModelId, BuiltinModelLoader } from './builtin-ids.js';
import { resolvePackage, type ResolvedModel, type ResolveOptions } from './resolve.js';

export { BUILTIN_MODELS, isBuiltinModel, type BuiltinModelId } from './builtin-ids.js';

/** What each `@resnet-edge/models/<id>` module exports. */
export interface BuiltinModelModule {
  manifest: unknown;
  bytes(): Promise<Uint8Array>;
}

const MODULES: Record<BuiltinModelId, () => Promise<BuiltinModelModule>> = {
  'fmnist-resnet20': () => import('@resnet-edge/models/fmnist-resnet20'),
  'fmnist-scenes-centernet': () => import('@resnet-edge/models/fmnist-scenes-centernet'),
};

/**
 * Imports a built-in model's manifest (unvalidated) and bytes (unverified) from `@resnet-edge/models`.
 *
 * @example
 * ```ts
 * const { manifest, bytes } = await importBuiltinModel('fmnist-resnet20');
 * ```
 */
export const importBuiltinModel: BuiltinModelLoader = async (id) => {
  let mod: BuiltinModelModule;
  try {
    mod = await MODULES[id]();
  } catch (e) {
    throw new ModelLoadError(
      'MODEL_FETCH_FAILED',
      `The built-in model "${id}" comes from the @resnet-edge/models package, which could not be loaded (${(e as Error).message}). ` +
        'Install it (`npm install @resnet-edge/models`), or serve the model package yourself and pass modelBaseUrl.',
      { cause: e, details: { model: id, package: '@resnet-edge/models' } },
    );
  }
  return { manifest: mod.manifest, bytes: await mod.bytes() };
};

/**
 * Resolves and integrity-checks a model package: a built-in id (from `@resnet-edge/models`, or from `modelBaseUrl`
 * when given), the URL of a `model.json`, or `{ manifest, bytes }`.
 *
 * @example
 * ```ts
 * const { manifest, bytes } = await resolveModel({ model: 'fmnist-resnet20' });
 * ```
 */
export function resolveModel(options: ResolveOptions): Promise<ResolvedModel> {
  return resolvePackage({ builtins: importBuiltinModel, ...options });
}
