/** QOperator front end: QLinearConv, QLinearMatMul, QGemm, QLinearAdd, QLinear(Global)AveragePool, int8 MaxPool. */
import { DataType, type OnnxNode } from '../../onnx/index.js';
import { unsupportedNode, readAttrs, type Compiler } from './compiler.js';
import { constInts, type Const, type ConstQuant } from './consts.js';
import { emitPool, graphZeroPoint } from './qdq.js';
import { buildConv, type ActQuant } from './build-conv.js';
import type { PlanTensor } from './types.js';

function actQuant(c: Compiler, node: OnnxNode, scaleIdx: number): { q: ActQuant; srcType: 'uint8' | 'int8' } {
  const s = c.constOf(node.input[scaleIdx], node);
  const z = c.constOf(node.input[scaleIdx + 1], node);
  if (!s || s.f32.length !== 1 || (z && z.f32.length !== 1)) unsupportedNode(node, 'activation scale/zero point must be constant scalars');
  const u8 = !z || z.dataType === DataType.UINT8;
  const zp = z ? z.f32[0] : 0;
  return { q: { scale: s.f32[0], zeroPoint: u8 ? zp - 128 : zp }, srcType: u8 ? 'uint8' : 'int8' };
}

function q8Input(c: Compiler, node: OnnxNode, i: number, q: ActQuant): PlanTensor {
  const v = c.val(node.input[i], node);
  if (v.k !== 'q8') unsupportedNode(node, `input '${node.input[i]}' is not an int8/uint8 tensor`);
  v.t.scale ??= q.scale;
  v.t.zeroPoint ??= q.zeroPoint;
  return v.t;
}

function weightQuant(c: Compiler, node: OnnxNode, wi: number, axis: number): { q: ConstQuant; dims: number[] } {
  const w = c.constOf(node.input[wi], node);
  const s = c.constOf(node.input[wi + 1], node);
  const z = c.constOf(node.input[wi + 2], node);
  if (!w || !s) unsupportedNode(node, 'weights and their scale must be constant');
  const zp = z ? constInts(z) : new Int32Array(s.f32.length);
  return { q: { values: w.ints ?? constInts(w), scale: s.f32, zeroPoint: zp, axis: s.f32.length > 1 ? axis : 0, dataType: w.dataType }, dims: w.dims };
}

function pickQ(t: PlanTensor): Partial<PlanTensor> {
  return { scale: t.scale, zeroPoint: t.zeroPoint, srcType: t.srcType };
}

function output(c: Compiler, node: OnnxNode, y: { q: ActQuant; srcType: 'uint8' | 'int8' }, shape: number[]): PlanTensor {
  const t = c.tensor(node.output[0], 'q8', shape, { scale: y.q.scale, zeroPoint: y.q.zeroPoint, srcType: y.srcType });
  c.vals.set(node.output[0], { k: 'q8', t });
  return t;
}

/** Handles a QOperator node; returns false if `node` is not one. */
export function qoperatorNode(c: Compiler, node: OnnxNode): boolean {
  const op = node.opType ?? '';
  const name = node.name || node.output[0];
  if (op === 'QLinearConv' || op === 'QLinearMatMul' || op === 'QGemm') {
    const isGemm = op === 'QGemm';
    const attrs = readAttrs(node, c.opset);
    const x = actQuant(c, node, 1);
    const yIdx = op === 'QLinearConv' ? 6 : isGemm ? 7 : 6;
    if (isGemm && (attrs.transA || ((attrs.alpha as number | undefined) ?? 1) !== 1)) unsupportedNode(node, 'QGemm transA/alpha not supported');
    const floatOut = isGemm && !node.input[7];
    const y = floatOut ? undefined : actQuant(c, node, yIdx);
    let input = q8Input(c, node, 0, x.q);
    const lead = input.shape.slice(0, -1);
    if (op === 'QLinearMatMul' && input.shape.length > 2) {
      // [.., M, K] x [K, N]: run as [prod(..M), K] and reshape back.
      const flat = c.tensor(`${node.input[0]}#2d`, 'q8', [lead.reduce((a, b) => a * b, 1), input.shape[input.shape.length - 1]], { ...pickQ(input) });
      c.emit({ op: 'reshape', name: `${name}#in`, input: input.id, output: flat.id });
      input = flat;
    }
    const layout = op === 'QLinearConv' ? 'oihw' : isGemm && attrs.transB ? 'ok' : 'ko';
    const w = weightQuant(c, node, 3, layout === 'ko' ? 1 : 0);
    const biasName = op === 'QLinearConv' ? node.input[8] : isGemm ? node.input[6] : undefined;
    const bias: Const | undefined = biasName ? c.constOf(biasName, node) : undefined;
    if (biasName && !bias) unsupportedNode(node, 'bias must be constant');
    const built = buildConv({ name, inShape: input.shape, x: x.q, y: y?.q, w: w.q, wDims: w.dims, layout, bias, relu: false, attrs });
    if (!built) unsupportedNode(node, 'weights do not fit int8 after zero-point subtraction, or shapes mismatch');
    let out: PlanTensor;
    if (y) out = output(c, node, y, built.outShape);
    else {
      out = c.tensor(node.output[0], 'f32', built.outShape);
      c.vals.set(node.output[0], { k: 'f32', t: out });
    }
    if (op === 'QLinearMatMul' && lead.length > 1 && out.dtype === 'q8') {
      const flat = c.tensor(`${node.output[0]}#2d`, 'q8', built.outShape, { ...pickQ(out) });
      c.emit({ ...built.op, input: input.id, output: flat.id });
      out.shape = [...lead, built.outShape[1]];
      c.emit({ op: 'reshape', name: `${name}#out`, input: flat.id, output: out.id });
      return true;
    }
    c.emit({ ...built.op, input: input.id, output: out.id });
    return true;
  }
  if (op === 'QLinearAdd') {
    const a = actQuant(c, node, 1), b = actQuant(c, node, 4), y = actQuant(c, node, 6);
    const ta = q8Input(c, node, 0, a.q), tb = q8Input(c, node, 3, b.q);
    if (ta.shape.join() !== tb.shape.join()) unsupportedNode(node, 'broadcasting QLinearAdd is not supported');
    const out = output(c, node, y, [...ta.shape]);
    c.emit({
      op: 'add', name, a: ta.id, b: tb.id, output: out.id, sa: a.q.scale, sb: b.q.scale, sc: y.q.scale,
      za: a.q.zeroPoint, zb: b.q.zeroPoint, zc: y.q.zeroPoint, zr: graphZeroPoint(y.q.zeroPoint, y.srcType), lo: -128, hi: 127,
    });
    return true;
  }
  if (op === 'QLinearGlobalAveragePool' || op === 'QLinearAveragePool') {
    const x = actQuant(c, node, 1), y = actQuant(c, node, 3);
    const t = q8Input(c, node, 0, x.q);
    if (t.shape.length !== 4) unsupportedNode(node, 'expects a 4-D input');
    if (!emitPool(c, node, t.id, t.shape, x.q, y.q, (s) => output(c, node, y, s).id)) unsupportedNode(node, 'unsupported attributes');
    return true;
  }
  if (op === 'MaxPool') {
    const v = c.val(node.input[0], node);
    if (v.k !== 'q8' || v.t.shape.length !== 4 || (node.output[1] ?? '') !== '') return false;
    const q = { scale: v.t.scale ?? 1, zeroPoint: v.t.zeroPoint ?? 0 };
    const src = { q, srcType: v.t.srcType ?? 'uint8' } as const;
    return emitPool(c, node, v.t.id, v.t.shape, q, q, (s) => output(c, node, src, s).id);
  }
  return false;
}
