/** Options and results of loading models that come without a manifest (Hugging Face folders, ONNX files or bytes). */
import type { OnnxModel } from '../onnx/index.js';
import type { DetectionOverrides, InputOverrides } from './infer-manifest.js';
import type { InputPresetName } from './input-presets.js';
import type { ModelManifest } from './manifest-types.js';
import type { PinStore } from './pin-store.js';

/**
 * How a model's bytes were checked:
 * - `manifest`: against the sha256 in its `model.json` (or a built-in model's);
 * - `declared`: against a sha256 the source declared (the `sha256` option or a digest header);
 * - `pinned`: against the sha256 pinned when this URL was first downloaded;
 * - `first-download`: nothing to check against; its sha256 is now pinned and later loads are checked;
 * - `unverified`: nothing to check against and nothing pinned (bytes handed to `load()` in memory, or `pins: false`).
 */
export type IntegrityCheck = 'manifest' | 'declared' | 'pinned' | 'first-download' | 'unverified';

/** Which ONNX file of a Hugging Face folder to load (Transformers.js' names). */
export type ModelDtype = 'q8' | 'int8' | 'uint8' | 'fp32' | 'fp16';

/** The `dtype` values, in the order tried when none is given (int8 first). */
export const MODEL_DTYPES: readonly ModelDtype[] = ['int8', 'q8', 'uint8', 'fp32', 'fp16'];

/** Options for models without a manifest. Passing one for a model package (`model.json`, built-in id) is an error. */
export interface SourceOptions {
  /**
   * Hugging Face folders: `'fp32'` onnx/model.onnx, `'fp16'` model_fp16.onnx, `'q8'` model_quantized.onnx, `'int8'`
   * model_int8.onnx, `'uint8'` model_uint8.onnx (under `onnx/`, else at the top). Default: the first present of int8,
   * q8, uint8, fp32, fp16.
   */
  dtype?: ModelDtype;
  /** Class names in output order (an ONNX file's own; overrides a folder's `id2label`). */
  labels?: readonly string[];
  /** Input preprocessing preset (overrides a folder's `preprocessor_config.json`). */
  preset?: InputPresetName;
  /** Input spec fields, applied over the preset or `preprocessor_config.json`. */
  input?: InputOverrides;
  /** Detection head and defaults (the head is read from the graph's outputs when not given). */
  detection?: DetectionOverrides;
  /** Expected sha256 of the ONNX file (hex): checked instead of pinning on first download. */
  sha256?: string;
  /** Cache Storage bucket for downloaded files (default `resnet-edge-models-v1` where Cache Storage exists); `false`: none. */
  cache?: string | false;
  /** Where first-download sha256 pins are kept (default: Cache Storage, or per process in Node); `false`: no pinning. */
  pins?: PinStore | false;
}

/** Where a loaded model came from and how its bytes were checked; `model.origin`. */
export interface ModelOrigin {
  /** `builtin` id, `package` (a model.json), `hf` (Hugging Face folder), `onnx` (an ONNX URL) or `bytes` (in memory). */
  kind: 'builtin' | 'package' | 'hf' | 'onnx' | 'bytes';
  /** The folder, manifest or file URL (absent for bytes and built-ins). */
  url?: string;
  /** The ONNX file, relative to `url` for folders. */
  file?: string;
  /** The Hugging Face file variant chosen. */
  dtype?: ModelDtype;
  /** sha256 of the model bytes. */
  sha256: string;
  /** How the bytes were verified (see {@link IntegrityCheck}). */
  integrity: IntegrityCheck;
}

/** A resolved model whose manifest was inferred: the decoded graph comes along so it is parsed once. */
export interface LocatedModel {
  manifest: ModelManifest;
  bytes: Uint8Array;
  graph: OnnxModel;
  origin: ModelOrigin;
}
