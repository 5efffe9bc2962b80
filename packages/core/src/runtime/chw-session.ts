/**
 * Graphs whose image input is one [C,H,W] image (torchvision detection exports take a list of images; ONNX export
 * makes that a rank-3 input). Preprocessing always produces [1,C,H,W]; this adapter drops the batch axis on the way in.
 */
import { ImageInputError } from '../errors.js';
import type { InferenceSession } from '../backends/types.js';
import type { OnnxModel } from '../onnx/index.js';

/**
 * The rank of the graph input `name` (0 when the graph does not say).
 *
 * @example
 * ```ts
 * graphInputRank(decodeModel(bytes), 'image'); // 3 for a torchvision Faster R-CNN export
 * ```
 */
export function graphInputRank(model: OnnxModel, name: string): number {
  const input = model.graph?.input?.find((i) => i.name === name);
  return input?.type?.tensorType?.shape?.dim?.length ?? 0;
}

/**
 * Wraps `session` so a [1,C,H,W] feed for `inputName` reaches the graph as [C,H,W]; a batch of more than one image
 * is `INVALID_TENSOR` (the graph takes one).
 *
 * @example
 * ```ts
 * const s = chwSession(session, 'image');
 * await s.run({ image: { data, dims: [1, 3, 320, 320] } });
 * ```
 */
export function chwSession(session: InferenceSession, inputName: string): InferenceSession {
  return {
    get backend() {
      return session.backend;
    },
    get inputNames() {
      return session.inputNames;
    },
    get outputNames() {
      return session.outputNames;
    },
    run(feeds) {
      const t = feeds[inputName];
      if (!t) return session.run(feeds);
      if (t.dims.length !== 4 || t.dims[0] !== 1) {
        throw new ImageInputError('INVALID_TENSOR', `This model takes one image [C, H, W] at a time; got [${t.dims.join(', ')}].`);
      }
      return session.run({ ...feeds, [inputName]: { data: t.data, dims: t.dims.slice(1) } });
    },
    dispose() {
      return session.dispose();
    },
  };
}
