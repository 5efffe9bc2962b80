/**
 * The body of `load()`: resolve a model package, verify it, and open a session on the best backend. Built-in ids reach
 * `@resnet-edge/models` only through the `builtins` it is given (load.ts passes them; the Web Worker script does not).
 */
import { ResNetEdgeError } from '../errors.js';
import type { BackendName } from '../backends/types.js';
import type { OrtOptions } from '../backends/ort/ort-module.js';
import type { BackendRegistry, FallbackEvent } from '../backends/backend-registry.js';
import { decodeModel } from '../onnx/decode.js';
import type { BuiltinModelLoader } from '../package/builtin-ids.js';
import type { InputPresetName } from '../package/input-presets.js';
import { resolvePackage, type ModelSource } from '../package/resolve.js';
import type { SourceOptions } from '../package/source-types.js';
import { chwSession, graphInputRank } from './chw-session.js';
import { getDefaultRegistry } from './default-registry.js';
import { checkLoadOptions } from './load-options.js';
import { ResNetModel } from './model.js';
import type { Refiner } from './refiner.js';
import { checkModelContract } from './model-contract.js';
import type { ImagePreprocessOptions } from '../image/decode-to-size.js';

export interface LoadOptions extends Omit<SourceOptions, 'preset'> {
  /**
   * A built-in id (`'fmnist-resnet20'`); a URL (or, in Node, a path) of a `model.json`, of a folder (a model package,
   * or a Hugging Face repository: `config.json`, `preprocessor_config.json`, `onnx/model*.onnx`) or of an `.onnx`
   * file; ONNX bytes; or `{ manifest, bytes }`.
   */
  model: ModelSource;
  /** `'auto'` (default) picks own WebGPU on a hardware adapter, then own WASM, then onnxruntime-web. */
  backend?: BackendName;
  /** Where built-in model packages are served from (`<base>/<id>/model.json`). */
  modelBaseUrl?: string | URL;
  /** Custom fetch (e.g. a caching one, or a Workers assets binding's fetch). */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Download progress in bytes. */
  onProgress?: (p: { loaded: number; total: number }) => void;
  /** Called when `auto` skips a backend that failed to take the model. */
  onFallback?: (e: FallbackEvent) => void;
  /**
   * WASM threads: an integer from 1 to 16 (default 1); anything else is `INVALID_ARGUMENT`. The own engine falls back
   * to one thread where memory cannot be shared; onnxruntime-web takes it from the first session that loads.
   */
  numThreads?: number;
  /**
   * onnxruntime-web (optional peer dependency) for the `ort-*` backends: `module` (in browser bundles pass
   * `() => import('onnxruntime-web')`) and `wasmPaths` (where its `.wasm` files are served). Unused on the own engines.
   */
  ort?: OrtOptions;
  /** Use another registry than the default one. */
  registry?: BackendRegistry;
  /**
   * How images become model input (defaults for every call; `classify`/`detect` can override per call):
   * `decode: 'fast'` (default) decodes to the size the model needs, `'exact'` decodes at full size first;
   * `maxPixels` (default 48 000 000), `maxBytes`, `applyExifOrientation`, `alphaBackground`. For models without a
   * manifest, a preset name (`'imagenet'`, ...) or `{ preset }` says how inputs are normalized.
   */
  preprocess?: InputPresetName | (ImagePreprocessOptions & { preset?: InputPresetName });
}

const BACKENDS: readonly BackendName[] = ['auto', 'wasm', 'webgpu', 'ort-wasm', 'ort-webgpu'];

/**
 * Loads a model package and prepares it for inference; built-in ids need `builtins`.
 *
 * @example
 * ```ts
 * const model = await loadModel({ model: 'https://example.com/m/model.json' });
 * ```
 */
export async function loadModel(options: LoadOptions & { builtins?: BuiltinModelLoader }): Promise<ResNetModel> {
  if (!options || typeof options !== 'object' || options.model === undefined) throw new ResNetEdgeError('INVALID_ARGUMENT', 'load() needs a model.');
  const preset = checkLoadOptions(options as unknown as Record<string, unknown>, ['builtins']);
  const backend = options.backend ?? 'auto';
  if (!BACKENDS.includes(backend)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown backend "${backend}". Use one of ${BACKENDS.join(', ')}.`);
  }
  const { preprocess, ...rest } = options;
  const imageOptions = typeof preprocess === 'object' ? (({ preset: _p, ...o }) => o)(preprocess) : undefined;
  const { manifest, bytes, refineBytes, graph: parsed, origin } = await resolvePackage({ ...rest, ...(preset ? { preset } : {}) });
  // Parse once up front so corrupt bytes fail the same way (INVALID_MODEL) whichever backend would have run them.
  const graph = parsed ?? decodeModel(bytes);
  // Validated before a backend is chosen, so every backend rejects the same models (INVALID_MODEL with the reason).
  checkModelContract(graph, manifest);
  const registry = options.registry ?? getDefaultRegistry();
  const created = await registry.createSession({
    backend,
    manifest,
    modelBytes: bytes,
    model: graph,
    numThreads: options.numThreads,
    ...(options.ort ? { ort: options.ort } : {}),
    onFallback: options.onFallback,
  });
  // torchvision detection exports take one [C,H,W] image; preprocessing makes [1,C,H,W].
  const session = graphInputRank(graph, manifest.input.name) === 3 ? chwSession(created, manifest.input.name) : created;
  let refiner: Refiner | undefined;
  if (refineBytes) {
    try {
      // Only two-stage detectors have a second stage: its code is loaded for them alone.
      const { openRefiner } = await import('./open-refiner.js');
      refiner = await openRefiner({ manifest, bytes: refineBytes, registry, backend: created.backend, numThreads: options.numThreads, ort: options.ort });
    } catch (e) {
      await session.dispose();
      throw e;
    }
  }
  return new ResNetModel({ manifest, session, ...(refiner ? { refiner } : {}), preprocess: imageOptions, origin });
}
