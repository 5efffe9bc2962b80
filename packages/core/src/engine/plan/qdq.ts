/**
 * QDQ front end: DequantizeLinear -> {Conv, Gemm, MatMul, Add, MaxPool, AveragePool, GlobalAveragePool, Concat}
 * -> [Relu] -> QuantizeLinear chains become single int8 ops (the fusions onnxruntime performs on QDQ graphs).
 * Anything that does not match falls back to float kernels on dequantized values.
 */
import { DataType, type OnnxNode } from '../../onnx/index.js';
import type { Compiler, QTail } from './compiler.js';
import { readAttrs } from './compiler.js';
import { buildConv, type ActQuant } from './build-conv.js';
import type { Const } from './consts.js';
import { ortType } from './ort-types.js';
import { geometry, reshapeShape, flattenShape } from '../../onnx/shapes.js';

/** Emits a fused conv-like op if the pattern matches; returns false to let the caller use float kernels. */
export function fuseMatmulLike(c: Compiler, node: OnnxNode, tailOverride?: QTail): boolean {
  const x = c.val(node.input[0], node);
  const wc = c.constOf(node.input[1], node);
  if (x.k !== 'dq' || !wc?.q || wc.q.dataType === DataType.INT32) return false;
  const attrs = readAttrs(node, c.opset);
  const op = node.opType;
  if (op === 'Gemm' && (attrs.transA || (attrs.alpha ?? 1) !== 1 || (attrs.beta ?? 1) !== 1)) return false;
  if ((op === 'Gemm' || op === 'MatMul') && (x.t.shape.length !== 2 || wc.dims.length !== 2)) return false;
  const tail = tailOverride ?? c.followQ(node.output[0]);
  // Gemm/MatMul whose result stays float (classifier heads) still runs int8, dequantizing its accumulators.
  if (!tail && (op === 'Conv' || x.t.shape.length !== 2)) return false;
  // Groups onnxruntime leaves unfused (int8 activations off ARM, see ort-types.ts) run its float arithmetic.
  const tIn = ortType(c, x.t), tOut = tail && ortType(c, { id: -1, name: tail.out, srcType: tail.srcType });
  const ortFuses = op === 'Gemm' ? !tOut || tOut === tIn : tIn === 'uint8' && (!tOut || tOut === tIn);
  if (!ortFuses) return op === 'Conv' && tail ? floatConv(c, node, x.t.id, x.t.shape, x.q, wc, tail) : false;
  const bias = op === 'MatMul' ? undefined : c.constOf(node.input[2], node);
  if (node.input[2] && op !== 'MatMul' && !bias) return false;
  if (bias && op === 'Gemm' && bias.f32.length !== wc.dims[attrs.transB ? 0 : 1]) return false;
  const layout = op === 'Conv' ? 'oihw' : op === 'Gemm' && attrs.transB ? 'ok' : 'ko';
  const built = buildConv({
    name: node.name || node.output[0], inShape: x.t.shape, x: x.q, y: tail?.q, w: wc.q, wDims: wc.dims, layout, bias,
    relu: tail?.relu ?? false, attrs,
  });
  if (!built) return false;
  let out;
  if (tail) out = c.finishTail(tail, built.outShape);
  else {
    out = c.tensor(node.output[0], 'f32', built.outShape);
    c.vals.set(node.output[0], { k: 'f32', t: out });
  }
  c.emit({ ...built.op, input: x.t.id, output: out.id });
  return true;
}

/** A QDQ Conv onnxruntime runs in float (DequantizeLinear, fp32 Conv, QuantizeLinear) as one `fconv` op. */
function floatConv(c: Compiler, node: OnnxNode, input: number, inShape: number[], xq: ActQuant, w: Const, tail: QTail): boolean {
  const bias = node.input[2] ? c.constOf(node.input[2], node) : undefined;
  if ((node.input[2] && !bias) || inShape.length !== 4 || w.dims.length !== 4) return false;
  const attrs = readAttrs(node, c.opset);
  const [OC, Cg, KH, KW] = w.dims;
  const group = (attrs.group as number | undefined) ?? 1;
  if (inShape[1] !== Cg * group || OC % group !== 0) return false;
  const name = node.name || node.output[0];
  const g = geometry(attrs, inShape.slice(2), [KH, KW], name);
  const f = Math.fround;
  // DequantizeLinear of an int32 bias converts to f32 before scaling (exact only below 2^24).
  const b = bias?.q ? Float32Array.from(bias.q.values, (v, i) => f(f(v - bias.q!.zeroPoint[bias.q!.zeroPoint.length > 1 ? i : 0]) * bias.q!.scale[bias.q!.scale.length > 1 ? i : 0])) : bias?.f32;
  const out = c.finishTail(tail, [inShape[0], OC, g.out[0], g.out[1]]);
  c.emit({
    op: 'fconv', name, input, output: out.id, x: xq, y: tail.q, lo: tail.relu ? Math.max(-128, tail.q.zeroPoint) : -128, hi: 127,
    C: inShape[1], OC, group, kernel: g.kernel, strides: g.strides, pads: g.pads, dilations: g.dilations, weights: w.f32, ...(b ? { bias: b } : {}),
  });
  return true;
}

/** A zero point of the plan's int8 domain back in the graph's own type (uint8 values are stored shifted by -128). */
export function graphZeroPoint(zp: number, srcType: 'uint8' | 'int8' | undefined): number {
  return srcType === 'int8' ? zp : zp + 128;
}

/** DequantizeLinear x 2 -> Add -> [Relu] -> QuantizeLinear as onnxruntime's QLinearAdd. */
export function fuseAdd(c: Compiler, node: OnnxNode): boolean {
  const a = c.val(node.input[0], node), b = c.val(node.input[1], node);
  if (a.k !== 'dq' || b.k !== 'dq' || a.t.shape.join() !== b.t.shape.join()) return false;
  const tail = c.followQ(node.output[0]);
  if (!tail) return false;
  // onnxruntime fuses only when both inputs and the output have one type; else a float Add, then QuantizeLinear.
  const tc = ortType(c, { id: -1, name: tail.out, srcType: tail.srcType });
  const fused = ortType(c, a.t) === tc && ortType(c, b.t) === tc;
  const out = c.finishTail(tail, [...a.t.shape]);
  c.emit({
    op: 'add', name: node.name || node.output[0], a: a.t.id, b: b.t.id, output: out.id,
    sa: a.q.scale, sb: b.q.scale, sc: tail.q.scale, za: a.q.zeroPoint, zb: b.q.zeroPoint, zc: tail.q.zeroPoint,
    zr: fused ? graphZeroPoint(tail.q.zeroPoint, tc) : 0, lo: tail.relu ? Math.max(-128, tail.q.zeroPoint) : -128, hi: 127,
  });
  return true;
}

/** MaxPool / AveragePool / GlobalAveragePool on a dequantized value feeding a QuantizeLinear. */
export function fusePool(c: Compiler, node: OnnxNode): boolean {
  const x = c.val(node.input[0], node);
  if (x.k !== 'dq' || x.t.shape.length !== 4) return false;
  const isMax = node.opType === 'MaxPool';
  const tail = c.followQ(node.output[0], false);
  if (!tail || node.output.length > 1 && node.output[1]) return false;
  // Average pools fuse in onnxruntime only with equal input and output types (else: float pooling, QuantizeLinear).
  if (!isMax && ortType(c, x.t) !== ortType(c, { id: -1, name: tail.out, srcType: tail.srcType })) return false;
  // MaxPool commutes with quantization only when input and output parameters match.
  if (isMax && (tail.q.scale !== x.q.scale || tail.q.zeroPoint !== x.q.zeroPoint)) return false;
  return emitPool(c, node, x.t.id, x.t.shape, x.q, tail.q, (shape) => c.finishTail(tail, shape).id);
}

/** Shared by the QDQ and QOperator front ends. */
export function emitPool(
  c: Compiler, node: OnnxNode, input: number, shape: number[], xq: { scale: number; zeroPoint: number },
  yq: { scale: number; zeroPoint: number }, makeOut: (shape: number[]) => number,
): boolean {
  const name = node.name || node.output[0];
  const [N, C, H, W] = shape;
  const op = node.opType ?? '';
  if (op === 'GlobalAveragePool' || op === 'QLinearGlobalAveragePool') {
    if (readAttrs(node, c.opset).channels_last) return false;
    const output = makeOut([N, C, 1, 1]);
    c.emit({ op: 'gap', name, input, output, inZeroPoint: xq.zeroPoint, outZeroPoint: yq.zeroPoint, multiplier: Math.fround(xq.scale / Math.fround(yq.scale * H * W)) });
    return true;
  }
  const attrs = readAttrs(node, c.opset);
  if (attrs.storage_order === 1 || attrs.channels_last) return false;
  const g = geometry(attrs, [H, W], attrs.kernel_shape as number[], name);
  const isMax = op === 'MaxPool';
  if (!isMax && (g.dilations[0] !== 1 || g.dilations[1] !== 1)) return false;
  const output = makeOut([N, C, g.out[0], g.out[1]]);
  c.emit({
    op: isMax ? 'maxpool' : 'avgpool', name, input, output, kernel: g.kernel, strides: g.strides, pads: g.pads,
    dilations: g.dilations, countIncludePad: attrs.count_include_pad === 1, inZeroPoint: xq.zeroPoint,
    outZeroPoint: yq.zeroPoint, scale: Math.fround(xq.scale / yq.scale),
  });
  return true;
}

/** Flatten / Reshape / Squeeze / Unsqueeze of a quantized or dequantized value stays int8. */
export function reshapeQuant(c: Compiler, node: OnnxNode): boolean {
  const x = c.val(node.input[0], node);
  if (x.k !== 'dq' && x.k !== 'q8') return false;
  const attrs = readAttrs(node, c.opset);
  let shape: number[];
  if (node.opType === 'Flatten') shape = flattenShape(x.t.shape, (attrs.axis as number | undefined) ?? 1);
  else if (node.opType === 'Squeeze' || node.opType === 'Unsqueeze') {
    const k = node.input[1] ? c.constOf(node.input[1], node) : undefined;
    if (node.input[1] && !k) return false;
    const axes = k ? Array.from(k.f32) : (attrs.axes as number[] | undefined);
    const dims = x.t.shape;
    if (node.opType === 'Squeeze') {
      const ax = new Set((axes ?? []).map((a) => (a < 0 ? a + dims.length : a)));
      shape = dims.filter((d, i) => (axes ? !ax.has(i) : d !== 1));
    } else {
      if (!axes) return false;
      const rank = dims.length + axes.length, ax = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
      shape = [];
      for (let i = 0, j = 0; i < rank; i++) shape.push(ax.has(i) ? 1 : dims[j++]);
    }
  } else {
    const s = c.constOf(node.input[1], node);
    if (!s) return false;
    shape = reshapeShape(x.t.shape, Array.from(s.f32), attrs.allowzero === 1, node.name || node.output[0]);
  }
  if (shape.length !== 2 && shape.length !== 4) return false;
  const t = c.tensor(node.output[0], 'q8', shape, { scale: x.t.scale, zeroPoint: x.t.zeroPoint, srcType: x.t.srcType });
  c.emit({ op: 'reshape', name: node.name || node.output[0], input: x.t.id, output: t.id });
  c.vals.set(node.output[0], x.k === 'dq' ? { k: 'dq', t, q: x.q } : { k: 'q8', t });
  return true;
}

/** Channel Concat of dequantized values that all share the output's quantization. */
export function fuseConcat(c: Compiler, node: OnnxNode): boolean {
  const attrs = readAttrs(node, c.opset);
  const vals = node.input.map((n) => c.val(n, node));
  const tail = c.followQ(node.output[0], false);
  if (!tail) return false;
  const rank = vals[0].k === 'const' ? 0 : vals[0].t.shape.length;
  const axis = (attrs.axis as number) < 0 ? (attrs.axis as number) + rank : (attrs.axis as number);
  if (axis !== 1 || (rank !== 4 && rank !== 2)) return false;
  const ids: number[] = [];
  let channels = 0;
  for (const v of vals) {
    if (v.k !== 'dq' || v.q.scale !== tail.q.scale || v.q.zeroPoint !== tail.q.zeroPoint) return false;
    ids.push(v.t.id);
    channels += v.t.shape[1];
  }
  const shape = [...(vals[0] as { t: { shape: number[] } }).t.shape];
  shape[1] = channels;
  const out = c.finishTail(tail, shape);
  c.emit({ op: 'concat', name: node.name || node.output[0], inputs: ids, output: out.id });
  return true;
}
