/** IDX (MNIST / Fashion-MNIST) image files as calibration data. */
import { ResNetEdgeError } from '../errors.js';
import { preprocess } from '../image/preprocess.js';
import type { InputSpec } from '../package/manifest-types.js';
import type { Tensor } from '../tensor.js';

/** A decoded IDX file of unsigned bytes, e.g. images [count, 28, 28]. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parses an (already gunzipped) IDX file; only the unsigned-byte type (0x08) is supported.
 *
 * @example
 * ```ts
 * const idx = readIdx(gunzipSync(await readFile('t10k-images-idx3-ubyte.gz')));
 * idx.dims; // [10000, 28, 28]
 * ```
 */
export function readIdx(bytes: Uint8Array): IdxArray {
  const bad = (why: string): never => {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `Not a valid IDX file: ${why}.`);
  };
  if (bytes.length < 4) bad('too short');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bad('it is gzip-compressed; gunzip it first');
  if (bytes[0] !== 0 || bytes[1] !== 0) bad('bad magic');
  if (bytes[2] !== 0x08) bad(`element type 0x${bytes[2].toString(16)} is not unsigned byte`);
  const rank = bytes[3];
  if (rank < 1 || rank > 4 || bytes.length < 4 + 4 * rank) bad('bad rank');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => dv.getUint32(4 + 4 * i, false));
  const n = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length - start !== n) bad(`header says ${n} bytes of data, file has ${bytes.length - start}`);
  return { dims, data: bytes.subarray(start) };
}

export interface IdxCalibrationOptions {
  /** Images [count, H, W] (grayscale). */
  idx: IdxArray;
  /** The model's input spec (resize, channels, normalisation), as in its manifest. */
  input: InputSpec;
  /** Number of images (a positive integer), taken evenly spaced over the file (default all). */
  samples?: number;
  /** Images per yielded tensor (a positive integer; needs a dynamic batch dimension; default 1). */
  batch?: number;
}

/**
 * Yields preprocessed calibration tensors [batch, C, H, W] from IDX images, using the same preprocessing
 * as inference (the image is treated as an opaque grayscale picture).
 *
 * @throws ResNetEdgeError `INVALID_ARGUMENT` (when iteration starts) for images that are not [count, H, W], or a
 *   `samples` / `batch` that is not a positive integer.
 * @example
 * ```ts
 * const calibration = idxToCalibration({ idx, input: manifest.input, samples: 512, batch: 16 });
 * await quantize({ model, calibration, samples: 512 });
 * ```
 */
export function* idxToCalibration(o: IdxCalibrationOptions): Generator<Tensor> {
  const { dims, data } = o.idx;
  if (dims.length !== 3) throw new ResNetEdgeError('INVALID_ARGUMENT', `IDX images must be [count, H, W], got [${dims.join(', ')}]`);
  // Clamping would hide mistakes: samples NaN yielded nothing, batch NaN one tensor of everything.
  for (const key of ['samples', 'batch'] as const) {
    const v = o[key];
    if (v !== undefined && v !== null && !(Number.isInteger(v) && v > 0)) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `idxToCalibration: ${key} must be a positive integer, got ${String(v)}`);
    }
  }
  const [count, h, w] = dims;
  const want = Math.min(count, o.samples ?? count);
  const batch = o.batch ?? 1;
  const stride = count / want;
  let pending: Tensor[] = [];
  const flush = (): Tensor => {
    const per = pending[0].data.length;
    const out = new Float32Array(per * pending.length);
    pending.forEach((t, i) => out.set(t.data, i * per));
    const t = { data: out, dims: [pending.length, ...pending[0].dims.slice(1)] };
    pending = [];
    return t;
  };
  for (let k = 0; k < want; k++) {
    const i = Math.floor(k * stride);
    const rgba = new Uint8Array(w * h * 4);
    for (let p = 0; p < w * h; p++) {
      const v = data[i * w * h + p];
      rgba[4 * p] = rgba[4 * p + 1] = rgba[4 * p + 2] = v;
      rgba[4 * p + 3] = 255;
    }
    pending.push(preprocess({ image: { width: w, height: h, data: rgba }, input: o.input }).tensor);
    if (pending.length === batch) yield flush();
  }
  if (pending.length) yield flush();
}
