/** A loaded model: preprocessing, the backend session, and task post-processing behind one object. */
import { ResNetEdgeError, throwIfAborted } from '../errors.js';
import type { InferenceSession, ResolvedBackend } from '../backends/types.js';
import type { ModelManifest } from '../package/manifest-types.js';
import type { ModelOrigin } from '../package/source-types.js';
import type { Tensor } from '../tensor.js';
import { toClassifications, type Classification } from '../tasks/classify.js';
import { prepareInput, type PreparedInput } from './prepare-input.js';
import type { ImageInput } from '../image/to-rgba.js';
import type { ImagePreprocessOptions } from '../image/decode-to-size.js';
import { serialRunner, type SerialRunner } from './serial-runner.js';
import { checkCallOptions, mergeImageOptions } from './call-options.js';
import type { DetectOptions } from './detect-options.js';
import { runDetection } from './detect-task.js';
import type { Detection } from '../tasks/detect-types.js';
import type { Refiner } from './refiner.js';

export interface ClassifyOptions {
  /** How many labels to return (default 5, capped at the number of labels). */
  topK?: number;
  signal?: AbortSignal;
  /** Overrides the model's image settings (from `load({ preprocess })`) for this call, e.g. `{ decode: 'exact' }`. */
  preprocess?: ImagePreprocessOptions;
}

/**
 * A model ready to run. Create with {@link load}. Its methods take `undefined` or an options object; an unknown key,
 * `null` or a bad value is `INVALID_ARGUMENT`, never ignored.
 *
 * @example
 * ```ts
 * const model = await load({ model: 'fmnist-resnet20' });
 * const top3 = await model.classify(bytes, { topK: 3 });
 * await model.dispose();
 * ```
 */
export class ResNetModel {
  readonly manifest: ModelManifest;
  /** Image settings every call starts from (`load({ preprocess })`). */
  readonly preprocess: Readonly<ImagePreprocessOptions>;
  /**
   * Where the model came from and how its bytes were verified: `integrity` is `'manifest'` (sha256 from a model.json),
   * `'declared'` (a sha256 the caller or server declared), `'pinned'` (equal to the first download's),
   * `'first-download'` (nothing declared: pinned now, checked on later loads) or `'unverified'` (bytes in memory).
   */
  readonly origin: ModelOrigin | undefined;
  private session: InferenceSession | undefined;
  private refiner: Refiner | undefined;
  // Backends run one inference at a time per session; the runner queues concurrent callers.
  private readonly runner: SerialRunner;

  constructor(options: { manifest: ModelManifest; session: InferenceSession; refiner?: Refiner; preprocess?: ImagePreprocessOptions; origin?: ModelOrigin }) {
    this.manifest = options.manifest;
    this.session = options.session;
    this.refiner = options.refiner;
    this.runner = serialRunner(options.session);
    this.preprocess = { ...options.preprocess };
    this.origin = options.origin;
  }

  /** The backend that actually runs this model. */
  get backend(): ResolvedBackend {
    return this.live().backend;
  }

  /**
   * Classifies one image; returns labels sorted by score (softmax probabilities).
   *
   * @example
   * ```ts
   * const [best] = await model.classify(imageBitmap);
   * console.log(best.label, best.score);
   * ```
   */
  async classify(image: ImageInput | Tensor, options?: ClassifyOptions): Promise<Classification[]> {
    if (this.manifest.task !== 'classification') {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `Model "${this.manifest.id}" is a ${this.manifest.task} model; use detect().`);
    }
    const o = checkCallOptions('classify', options);
    const topK = o.topK ?? 5;
    if (!Number.isInteger(topK) || topK < 1) throw new ResNetEdgeError('INVALID_ARGUMENT', 'topK must be a positive integer.');
    const prepared = await prepareInput({ image, manifest: this.manifest, signal: o.signal, preprocess: mergeImageOptions(this.preprocess, o.preprocess) });
    const outputs = await this.run(prepared, o.signal);
    const name = this.manifest.output?.name ?? this.live().outputNames[0];
    const out = outputs[name];
    if (!out) throw new ResNetEdgeError('INFERENCE_FAILED', `Model has no output "${name}".`);
    // One image in, one row out: a size other than labels.length is a model/manifest mismatch, reported by
    // toClassifications (cutting the row to the labels first would hide it).
    return toClassifications({ output: out.data, labels: this.manifest.labels, kind: this.manifest.output?.kind ?? 'logits', topK });
  }

  /**
   * Detects objects; boxes are in the original image's pixels.
   *
   * @example
   * ```ts
   * const dets = await model.detect(blob, { scoreThreshold: 0.4 });
   * for (const d of dets) draw(d.box, d.label);
   * ```
   */
  async detect(image: ImageInput | Tensor, options?: DetectOptions): Promise<Detection[]> {
    if (this.manifest.task !== 'detection' || !this.manifest.detection) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `Model "${this.manifest.id}" is a ${this.manifest.task} model; use classify().`);
    }
    const o = checkCallOptions('detect', options);
    const prepared = await prepareInput({ image, manifest: this.manifest, signal: o.signal, preprocess: mergeImageOptions(this.preprocess, o.preprocess) });
    const outputs = await this.run(prepared, o.signal);
    const refiner = this.refiner;
    return runDetection({
      outputs,
      manifest: this.manifest,
      transform: prepared.transform,
      options: o,
      ...(refiner ? { refine: (candidates, scoreThreshold) => refiner.relabel({ image: prepared.tensor, candidates, scoreThreshold, signal: o.signal }) } : {}),
    });
  }

  /**
   * Runs the raw graph on a preprocessed NCHW float tensor (for batching and benchmarks).
   *
   * @example
   * ```ts
   * const { logits } = await model.runTensor({ data, dims: [8, 1, 28, 28] });
   * ```
   */
  async runTensor(tensor: Tensor, options?: { signal?: AbortSignal }): Promise<Record<string, Tensor>> {
    const o = checkCallOptions('runTensor', options);
    const prepared = await prepareInput({ image: tensor, manifest: this.manifest, signal: o.signal, allowBatch: true });
    return this.run(prepared, o.signal);
  }

  /**
   * Releases the backend session. Further calls throw `DISPOSED`.
   *
   * @example
   * ```ts
   * await model.dispose();
   * ```
   */
  async dispose(): Promise<void> {
    const s = this.session;
    const r = this.refiner;
    this.session = undefined;
    this.refiner = undefined;
    if (s) await this.runner.idle().then(() => s.dispose());
    if (r) await r.dispose();
  }

  private live(): InferenceSession {
    if (!this.session) throw new ResNetEdgeError('DISPOSED', 'This model has been disposed.');
    return this.session;
  }

  private run(prepared: PreparedInput, signal?: AbortSignal): Promise<Record<string, Tensor>> {
    this.live();
    return this.runner.run({ [this.manifest.input.name]: prepared.tensor }, signal);
  }
}
