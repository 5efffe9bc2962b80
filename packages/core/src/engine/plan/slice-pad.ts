/**
 * Slice and Pad of int8 activations (QDQ: on a dequantized value; QOperator: on the int8 tensor itself) stay int8:
 * a slice copies values and a zero (or any representable) pad is a zero point, so both commute with quantization.
 * The stride-2 subsampling and channel zero-padding of option-A ResNet shortcuts compile to these.
 * Float values fall through to the float kernels.
 */
import { DataType, type OnnxNode } from '../../onnx/index.js';
import { resolvePads, resolveSlice } from '../ops/shared/strided.js';
import { unsupportedNode, readAttrs, type Compiler } from './compiler.js';
import { quantizeValue } from './consts.js';
import { constNumbers } from './fold-const.js';

/** Constant integer list from input `i` (or the attribute of older opsets); undefined when absent. */
function ints(c: Compiler, node: OnnxNode, i: number, attr?: unknown): number[] | undefined {
  const name = node.input[i];
  if (name) {
    const k = c.constOf(name, node);
    if (!k) unsupportedNode(node, `input '${name}' must be a constant (it is computed at run time)`);
    return Array.from(constNumbers(k));
  }
  return Array.isArray(attr) ? (attr as number[]) : undefined;
}

/**
 * Emits an int8 Slice or constant Pad for a quantized input; returns false for float inputs or unsupported forms.
 *
 * @example
 * ```ts
 * if ((op === 'Slice' || op === 'Pad') && sliceOrPadQuant(c, node)) return;
 * ```
 */
export function sliceOrPadQuant(c: Compiler, node: OnnxNode): boolean {
  const x = c.val(node.input[0], node);
  if (x.k !== 'dq' && x.k !== 'q8') return false;
  const dims = x.t.shape, rank = dims.length;
  if (rank !== 4 && rank !== 2) return false;
  const attrs = readAttrs(node, c.opset);
  const name = node.name || node.output[0];
  const emit = (shape: number[]) => {
    const t = c.tensor(node.output[0], 'q8', shape, { scale: x.t.scale, zeroPoint: x.t.zeroPoint, srcType: x.t.srcType });
    c.vals.set(node.output[0], x.k === 'dq' ? { k: 'dq', t, q: x.q } : { k: 'q8', t });
    return t.id;
  };
  if (node.opType === 'Slice') {
    const starts = ints(c, node, 1, attrs.starts), ends = ints(c, node, 2, attrs.ends);
    const spec = starts && ends ? resolveSlice(dims, starts, ends, ints(c, node, 3, attrs.axes), ints(c, node, 4)) : undefined;
    if (!spec) unsupportedNode(node, 'Slice starts/ends/axes/steps are invalid');
    if (spec.out.some((d) => d === 0)) return false;
    const output = emit(spec.out);
    c.emit({ op: 'slice', name, input: x.t.id, output, starts: spec.start, steps: spec.step });
    return true;
  }
  if (((attrs.mode as string | undefined) ?? 'constant') !== 'constant') return false;
  const pads = ints(c, node, 1, attrs.pads);
  const p = pads ? resolvePads(rank, pads, ints(c, node, 3)) : undefined;
  if (!p) unsupportedNode(node, 'Pad pads/axes are invalid');
  if ([...p.begin, ...p.end].some((v) => v < 0)) return false;
  const valueConst = node.input[2] ? c.constOf(node.input[2], node) : undefined;
  if (node.input[2] && !valueConst) return false;
  const raw = valueConst ? constNumbers(valueConst)[0] ?? 0 : ((attrs.value as number | undefined) ?? 0);
  let value: number;
  if (x.k === 'q8') {
    // A Pad on the int8/uint8 tensor itself (QOperator graphs): the value is in the tensor's own domain.
    if (valueConst && valueConst.dataType !== DataType.UINT8 && valueConst.dataType !== DataType.INT8) return false;
    value = raw - (x.t.srcType === 'uint8' ? 128 : 0);
  } else {
    // A Pad of dequantized values: int8 only when the float pad value is exactly representable.
    value = quantizeValue(raw, x.q.scale, x.q.zeroPoint, -128, 127);
    if (Math.fround((value - x.q.zeroPoint) * Math.fround(x.q.scale)) !== Math.fround(raw)) return false;
  }
  if (!(value >= -128 && value <= 127)) return false;
  const output = emit(dims.map((d, i) => d + p.begin[i] + p.end[i]));
  c.emit({ op: 'pad', name, input: x.t.id, output, begin: p.begin, end: p.end, value });
  return true;
}
