/** Shape checks shared by the detection decoders: malformed outputs become INFERENCE_FAILED, never a crash. */
import { ResNetEdgeError } from '../errors.js';
import { sizeOf, type Tensor, type TensorData } from '../tensor.js';

/** Throws unless `t` is a tensor of rank `rank` whose data length matches its dims. */
export function checkTensor(name: string, t: Tensor<TensorData> | undefined, rank: number): Tensor<TensorData> {
  if (!t || !Array.isArray(t.dims) || !t.data || typeof t.data.length !== 'number') {
    throw new ResNetEdgeError('INFERENCE_FAILED', `Detection output "${name}" is missing or not a tensor.`);
  }
  const dims = t.dims as readonly number[];
  if (dims.length !== rank || dims.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(dims) !== t.data.length) {
    throw new ResNetEdgeError('INFERENCE_FAILED', `Detection output "${name}" has shape [${dims.join(', ')}] and ${t.data.length} values; expected rank ${rank}.`, {
      details: { name, dims: [...dims], length: t.data.length },
    });
  }
  return t;
}

/** Throws unless `got` equals `want` in every listed axis. */
export function checkSameDims(name: string, got: readonly number[], want: readonly (number | undefined)[]): void {
  for (let i = 0; i < want.length; i++) {
    if (want[i] !== undefined && got[i] !== want[i]) {
      throw new ResNetEdgeError('INFERENCE_FAILED', `Detection output "${name}" has shape [${got.join(', ')}], expected [${want.map((d) => d ?? '?').join(', ')}].`);
    }
  }
}
