/** The second stage of a two-stage detector (`detection.refine`): crops each box and re-labels it with a classifier. */
import { ResNetEdgeError } from '../errors.js';
import type { InferenceSession } from '../backends/types.js';
import type { RefineSpec } from '../package/manifest-types.js';
import type { Tensor } from '../tensor.js';
import type { ScoredBox } from '../tasks/detect-types.js';
import { cropBoxes, relabel } from '../tasks/refine.js';
import { serialRunner, type SerialRunner } from './serial-runner.js';

/**
 * Crops run in fixed-size batches (the last one zero-padded): one input shape, so the own engines compile one plan.
 * 4, not 8: scenes with few boxes pay for half the padding (own WASM, default detector, per-scene medians: 2 boxes
 * 13.2 -> 9.2 ms, 3 boxes 13.4 -> 9.8 ms, 7 boxes 12.7-13.5 -> 12.7-12.9 ms); 1 per run was slower with many boxes.
 */
export const REFINE_BATCH = 4;

/**
 * A second-stage classifier session and its crop settings.
 *
 * @example
 * ```ts
 * const refiner = new Refiner({ session, spec: manifest.detection.refine, numClasses: manifest.labels.length });
 * const relabelled = await refiner.relabel({ image: prepared.tensor, candidates, scoreThreshold: 0.3 });
 * ```
 */
export class Refiner {
  private readonly session: InferenceSession;
  private readonly spec: RefineSpec;
  private readonly numClasses: number;
  // One inference at a time per session, as for the detector.
  private readonly runner: SerialRunner;

  constructor(o: { session: InferenceSession; spec: RefineSpec; numClasses: number }) {
    this.session = o.session;
    this.spec = o.spec;
    this.numClasses = o.numClasses;
    this.runner = serialRunner(o.session);
  }

  /**
   * New labels and scores (detector score x class probability) for `candidates`, boxes in `image`'s pixels; those
   * scoring below `scoreThreshold` are dropped.
   *
   * @example
   * ```ts
   * const relabelled = await refiner.relabel({ image, candidates, scoreThreshold: 0.3 });
   * ```
   */
  async relabel(o: { image: Tensor; candidates: readonly ScoredBox[]; scoreThreshold: number; signal?: AbortSignal }): Promise<ScoredBox[]> {
    const logits = await this.classify({ image: o.image, boxes: o.candidates.map((c) => c.box), signal: o.signal });
    return relabel({
      candidates: o.candidates,
      logits,
      numClasses: this.numClasses,
      scoreThreshold: o.scoreThreshold,
      detectorWeight: this.spec.detectorWeight,
    });
  }

  /**
   * The classifier's logits `[K, classes]` for the crops of `boxes` (model-input pixels of `image`), row i for box i.
   *
   * @example
   * ```ts
   * const logits = await refiner.classify({ image, boxes: [{ xmin: 4, ymin: 8, xmax: 30, ymax: 40 }] });
   * ```
   */
  async classify(o: { image: Tensor; boxes: readonly ScoredBox['box'][]; signal?: AbortSignal }): Promise<Tensor<Float32Array>> {
    const crops = cropBoxes({ image: o.image, boxes: o.boxes, spec: this.spec });
    const [k, c, r] = crops.dims;
    const per = c * r * r;
    const logits = new Float32Array(k * this.numClasses);
    for (let start = 0; start < k; start += REFINE_BATCH) {
      const batch = new Float32Array(REFINE_BATCH * per);
      const n = Math.min(REFINE_BATCH, k - start);
      batch.set(crops.data.subarray(start * per, (start + n) * per));
      const out = await this.run({ data: batch, dims: [REFINE_BATCH, c, r, r] }, o.signal);
      logits.set(out.data.subarray(0, n * this.numClasses), start * this.numClasses);
    }
    return { data: logits, dims: [k, this.numClasses] };
  }

  /** Releases the classifier session. */
  dispose(): Promise<void> {
    return this.runner.idle().then(() => this.session.dispose());
  }

  private async run(input: Tensor, signal?: AbortSignal): Promise<Tensor> {
    const out = await this.runner.run({ [this.spec.input]: input }, signal);
    const t = out[this.spec.output];
    if (!t || t.data.length !== REFINE_BATCH * this.numClasses) {
      throw new ResNetEdgeError('INFERENCE_FAILED', `The refine model must output "${this.spec.output}" with ${this.numClasses} logits per crop.`, {
        details: { outputs: Object.keys(out), dims: t?.dims },
      });
    }
    return t;
  }

}
