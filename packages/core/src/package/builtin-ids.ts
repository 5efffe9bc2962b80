/** The built-in model ids (no imports of the models themselves: see builtin-models.ts). */

/** Ids `load({ model })` knows without a URL. */
export const BUILTIN_MODELS = ['fmnist-resnet20', 'fmnist-scenes-centernet'] as const;

/** One of {@link BUILTIN_MODELS}. */
export type BuiltinModelId = (typeof BUILTIN_MODELS)[number];

/** Gets a built-in model's manifest (unvalidated) and bytes (unverified). */
export type BuiltinModelLoader = (id: BuiltinModelId) => Promise<{ manifest: unknown; bytes: Uint8Array }>;

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
