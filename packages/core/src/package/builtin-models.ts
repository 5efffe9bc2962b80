/**
 * Built-in model ids, served by the `@resnet-edge/models` package (a dependency of core): one module per model with
 * its manifest and bytes, imported only when that id is loaded. The specifiers are literal so bundlers split each
 * model into its own lazily loaded chunk.
 */
import { ModelLoadError } from '../errors.js';

/** Ids `load({ model })` knows without a URL. */
export const BUILTIN_MODELS = ['fmnist-resnet20', 'fmnist-scenes-centernet'] as const;

/** One of {@link BUILTIN_MODELS}. */
export type BuiltinModelId = (typeof BUILTIN_MODELS)[number];

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
 * Whether `id` names a built-in model.
 *
 * @example
 * ```ts
 * isBuiltinModel('fmnist-resnet20'); // true
 * ```
 */
export function isBuiltinModel(id: string): id is BuiltinModelId {
  return (BUILTIN_MODELS as readonly string[]).includes(id);
}

/**
 * Imports a built-in model's manifest (unvalidated) and bytes (unverified) from `@resnet-edge/models`.
 *
 * @example
 * ```ts
 * const { manifest, bytes } = await importBuiltinModel('fmnist-resnet20');
 * ```
 */
export async function importBuiltinModel(id: BuiltinModelId): Promise<{ manifest: unknown; bytes: Uint8Array }> {
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
}
