/**
 * `@resnet-edge/core/model`: the ONNX codec, model manifests and the int8 plan compiler, for tools built on the SDK.
 *
 * @example
 * ```ts
 * import { decodeModel, compilePlan } from '@resnet-edge/core/model';
 * const plan = compilePlan({ model: decodeModel(bytes) });
 * ```
 */
export * from '../onnx/index.js';
export { validateManifest } from './manifest.js';
export type * from './manifest-types.js';
export { compilePlan, type CompileOptions, type Plan } from '../engine/plan/compile-plan.js';
export type * from '../engine/plan/types.js';
export { BUILTIN_MODELS, type BuiltinModelId, type ModelSource, type ResolveOptions, type ResolvedModel } from './resolve.js';
export { resolveModel } from './builtin-models.js';
export { sha256Hex, verifyFile } from './integrity.js';
export { inferManifest, inferHead, graphValues, quantizationFormat, type InferManifestOptions, type InputOverrides, type DetectionOverrides } from './infer-manifest.js';
export { hfInputSpec, hfModelConfig, type HfModelConfig } from './hf-config.js';
export { inputPreset, INPUT_PRESET_NAMES, type InputPresetName } from './input-presets.js';
