/** Static shape inference for the graph compiler (concrete shapes: the plan is compiled per input shape). */
import { ResNetEdgeError } from '../errors.js';
import { sizeOf } from '../tensor.js';

export type Attrs = Record<string, number | string | number[]>;

function unsupported(node: string, why: string): never {
  throw new ResNetEdgeError('UNSUPPORTED_OP', `Node '${node}': ${why}`, { details: { node } });
}

/** Spatial geometry of a Conv/Pool over NCHW input with 2 spatial dims. */
export interface Geometry {
  kernel: [number, number];
  strides: [number, number];
  pads: [number, number, number, number];
  dilations: [number, number];
  out: [number, number];
}

/** Resolves kernel/strides/pads/dilations/auto_pad/ceil_mode into concrete numbers and the output size. */
export function geometry(attrs: Attrs, inHW: number[], kernel: number[], node: string): Geometry {
  if (inHW.length !== 2 || kernel?.length !== 2) unsupported(node, 'only 2-D convolution/pooling is supported');
  const strides = (attrs.strides as number[] | undefined) ?? [1, 1];
  const dil = (attrs.dilations as number[] | undefined) ?? [1, 1];
  let pads = (attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
  const autoPad = (attrs.auto_pad as string | undefined) ?? 'NOTSET';
  const ceil = attrs.ceil_mode === 1;
  const positive = (v: number[] | undefined, n: number) => v?.length === n && v.every((x) => Number.isInteger(x) && x >= 1);
  if (!positive(kernel, 2) || !positive(strides, 2) || !positive(dil, 2)) unsupported(node, 'kernel, strides and dilations must be positive integers');
  if (pads.length !== 4 || pads.some((p) => !Number.isInteger(p) || p < 0 || p > 1 << 16)) unsupported(node, 'pads must be 4 non-negative integers');
  const eff = [0, 1].map((i) => (kernel[i] - 1) * dil[i] + 1);
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const p = [0, 0, 0, 0];
    for (let i = 0; i < 2; i++) {
      const out = Math.ceil(inHW[i] / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + eff[i] - inHW[i]);
      const small = Math.floor(total / 2);
      p[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      p[i + 2] = total - p[i];
    }
    pads = p;
  } else if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  const out: number[] = [];
  for (let i = 0; i < 2; i++) {
    const span = inHW[i] + pads[i] + pads[i + 2] - eff[i];
    let o = (ceil ? Math.ceil(span / strides[i]) : Math.floor(span / strides[i])) + 1;
    // A window that starts entirely in the end padding is dropped (onnxruntime/PyTorch rule).
    if (ceil && (o - 1) * strides[i] >= inHW[i] + pads[i]) o--;
    out.push(o);
  }
  if (out[0] <= 0 || out[1] <= 0) unsupported(node, 'output spatial size is empty');
  return {
    kernel: [kernel[0], kernel[1]],
    strides: [strides[0], strides[1]],
    pads: [pads[0], pads[1], pads[2], pads[3]],
    dilations: [dil[0], dil[1]],
    out: [out[0], out[1]],
  };
}

/** Numpy broadcasting of two shapes. */
export function broadcast(a: readonly number[], b: readonly number[], node: string): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) unsupported(node, `shapes [${a}] and [${b}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Output shape of Reshape with a constant target (0 = copy, -1 = infer). */
export function reshapeShape(input: readonly number[], target: readonly number[], allowZero: boolean, node: string): number[] {
  const out = target.map((d, i) => (d === 0 && !allowZero ? input[i] : d));
  const known = out.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const total = sizeOf(input);
  const inferred = out.indexOf(-1);
  if (inferred >= 0) out[inferred] = known === 0 ? 0 : total / known;
  if (sizeOf(out) !== total || out.some((d) => !Number.isInteger(d) || d < 0)) {
    unsupported(node, `cannot reshape [${input}] to [${target}]`);
  }
  return out;
}

/** Flatten to 2-D at `axis`. */
export function flattenShape(input: readonly number[], axis: number): number[] {
  const a = axis < 0 ? axis + input.length : axis;
  return [sizeOf(input.slice(0, a)), sizeOf(input.slice(a))];
}

/** Concat shape along `axis`. */
export function concatShape(shapes: number[][], axis: number, node: string): number[] {
  const rank = shapes[0].length;
  const a = axis < 0 ? axis + rank : axis;
  const out = [...shapes[0]];
  out[a] = 0;
  for (const s of shapes) {
    if (s.length !== rank || s.some((d, i) => i !== a && d !== shapes[0][i])) unsupported(node, 'Concat inputs differ in shape');
    out[a] += s[a];
  }
  return out;
}
