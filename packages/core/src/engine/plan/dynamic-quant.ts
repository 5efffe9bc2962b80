/**
 * Dynamic-quantization front end (onnxruntime `quantize_dynamic`, Transformers.js q8 files):
 * DynamicQuantizeLinear -> ConvInteger / MatMulInteger -> Cast -> Mul(x_scale * w_scale) -> [Add bias] -> [Relu]
 * becomes `dynquant` + one `convint` op running on the int8 kernels with an f32 output, numerically onnxruntime's
 * (int32 accumulation, f32 multiply, f32 bias add). The x_scale * w_scale Mul stays a (one-element) float op.
 */
import { DataType, type OnnxNode } from '../../onnx/index.js';
import { geometry } from '../../onnx/shapes.js';
import { sizeOf } from '../../tensor.js';
import { readAttrs, unsupportedNode, type Compiler } from './compiler.js';
import { constInts, type Const } from './consts.js';
import { opInputs } from './inspect.js';
import type { Plan, PlanOp, RunValue } from './types.js';

/** Compiles the graph node that produces `name` now (it was later in node order) so its value exists. */
export type CompileNow = (c: Compiler, node: OnnxNode) => void;

/** The node that solely consumes `name` (and `name` is no graph output), if it has op type `op`. */
function soleUser(c: Compiler, name: string, op: string): { node: OnnxNode; index: number } | undefined {
  const u = c.users.get(name) ?? [];
  if (u.length !== 1 || c.graphOutputs.has(name)) return undefined;
  const node = c.graph.node[u[0]];
  return node.opType === op && (!node.domain || node.domain === 'ai.onnx') ? { node, index: u[0] } : undefined;
}

/** Whether dims broadcast against an output of rank `rank` with `OC` channels only along the channel axis. */
function channelwise(dims: readonly number[], rank: number, OC: number): boolean {
  const n = sizeOf(dims);
  if (n === 1) return dims.length <= rank;
  if (n !== OC || dims.length > rank) return false;
  // The channel axis is 1 of the output; right-aligned, dims must be [.., OC, 1, ...] with OC at that position.
  const axis = dims.length - (rank - 1);
  return dims.every((d, i) => (i === axis ? d === OC : d === 1));
}

/** A value read at run time: a constant, or an f32 tensor (compiling its producer first if needed). */
function runValue(c: Compiler, name: string, node: OnnxNode, compileNow: CompileNow): { v: RunValue; dims: number[] } | undefined {
  if (!c.vals.has(name)) {
    const at = c.graph.node.findIndex((n) => n.output.includes(name));
    if (at < 0 || c.skip.has(at)) return undefined;
    compileNow(c, c.graph.node[at]);
    c.skip.add(at);
  }
  const v = c.val(name, node);
  if (v.k === 'const') return { v: { values: Float32Array.from(v.c.f32) }, dims: v.c.dims };
  if (v.k === 'f32') return { v: { tensor: v.t.id }, dims: v.t.shape };
  return undefined;
}

/** DynamicQuantizeLinear: the q8 output plus its scale and zero point as one-element f32 tensors. */
function dynamicQuantize(c: Compiler, node: OnnxNode): void {
  const x = c.asF32(node.input[0], node);
  const y = c.tensor(node.output[0], 'q8', [...x.shape], { srcType: 'uint8' });
  const scale = c.tensor(node.output[1] || `${node.output[0]}#scale`, 'f32', []);
  const zp = c.tensor(node.output[2] || `${node.output[0]}#zp`, 'f32', []);
  c.emit({ op: 'dynquant', name: node.name || node.output[0], input: x.id, output: y.id, scale: scale.id, zeroPoint: zp.id });
  c.vals.set(node.output[0], { k: 'q8', t: y });
  if (node.output[1]) c.vals.set(node.output[1], { k: 'f32', t: scale });
  if (node.output[2]) c.vals.set(node.output[2], { k: 'f32', t: zp });
}

/** Weights minus their zero point, reordered to [OC][KH][KW][Cg]; zero points per tensor or per output channel. */
function centeredWeights(w: Const, zp: Const | undefined, layout: 'oihw' | 'ko', node: OnnxNode): { weights: Int16Array; OC: number; Cg: number; KH: number; KW: number } {
  if (w.dataType !== DataType.UINT8 && w.dataType !== DataType.INT8) unsupportedNode(node, 'weights must be uint8 or int8');
  const vals = w.ints ?? constInts(w);
  const z = zp ? constInts(zp) : new Int32Array(1);
  let OC: number, Cg: number, KH = 1, KW = 1;
  if (layout === 'oihw') [OC, Cg, KH, KW] = w.dims;
  else [Cg, OC] = w.dims;
  if (z.length !== 1 && z.length !== OC) unsupportedNode(node, 'weight zero point must be per tensor or per output channel');
  const T = KH * KW, K = T * Cg, weights = new Int16Array(OC * K);
  for (let o = 0; o < OC; o++) {
    const zo = z[z.length > 1 ? o : 0];
    for (let c = 0; c < Cg; c++) for (let t = 0; t < T; t++) {
      const src = layout === 'oihw' ? (o * Cg + c) * T + t : c * OC + o;
      weights[o * K + t * Cg + c] = vals[src] - zo;
    }
  }
  return { weights, OC, Cg, KH, KW };
}

/**
 * Handles DynamicQuantizeLinear, ConvInteger and MatMulInteger; returns false for other nodes.
 *
 * @example
 * ```ts
 * if (dynamicQuantNode(c, node, compileNode)) return;
 * ```
 */
export function dynamicQuantNode(c: Compiler, node: OnnxNode, compileNow: CompileNow): boolean {
  const op = node.opType ?? '';
  if (op === 'DynamicQuantizeLinear') {
    dynamicQuantize(c, node);
    return true;
  }
  if (op !== 'ConvInteger' && op !== 'MatMulInteger') return false;
  const x = c.val(node.input[0], node);
  if (x.k !== 'q8') unsupportedNode(node, `input '${node.input[0]}' is not a uint8/int8 tensor`);
  const w = c.constOf(node.input[1], node);
  if (!w) unsupportedNode(node, 'weights must be constant');
  const wz = node.input[3] ? c.constOf(node.input[3], node) : undefined;
  if (node.input[3] && !wz) unsupportedNode(node, 'the weight zero point must be constant');
  const isConv = op === 'ConvInteger';
  const inShape = x.t.shape;
  if (isConv ? inShape.length !== 4 || w.dims.length !== 4 : inShape.length !== 2 || w.dims.length !== 2) {
    unsupportedNode(node, isConv ? 'only 2-D ConvInteger is supported' : 'MatMulInteger runs on 2-D inputs with 2-D weights');
  }
  const cw = centeredWeights(w, wz, isConv ? 'oihw' : 'ko', node);
  const attrs = readAttrs(node, c.opset);
  const group = isConv ? ((attrs.group as number | undefined) ?? 1) : 1;
  if (inShape[1] !== cw.Cg * group || cw.OC % group !== 0) unsupportedNode(node, 'input channels do not match the weights');
  const name = node.name || node.output[0];
  let geo = { kernel: [1, 1] as [number, number], strides: [1, 1] as [number, number], pads: [0, 0, 0, 0] as [number, number, number, number], dilations: [1, 1] as [number, number] };
  let outShape = [inShape[0], cw.OC];
  if (isConv) {
    const g = geometry(attrs, inShape.slice(2), [cw.KH, cw.KW], name);
    geo = g;
    outShape = [inShape[0], cw.OC, g.out[0], g.out[1]];
  }
  let xZeroPoint: RunValue = { values: Float32Array.of(0) };
  if (node.input[2]) {
    const z = runValue(c, node.input[2], node, compileNow);
    if (!z || sizeOf(z.dims) !== 1) unsupportedNode(node, 'the input zero point must be one value');
    xZeroPoint = z.v;
  }
  // The float epilogue onnxruntime's quantizer writes after the integer op, fused while it has one consumer each.
  let out = node.output[0], mul: RunValue | undefined, bias: Float32Array | undefined, residual: number | undefined, relu = false;
  const rank = outShape.length;
  const cast = soleUser(c, out, 'Cast');
  if (cast && readAttrs(cast.node, c.opset).to === DataType.FLOAT) {
    c.skip.add(cast.index);
    out = cast.node.output[0];
    const m = soleUser(c, out, 'Mul');
    const other = m && (m.node.input[0] === out ? m.node.input[1] : m.node.input[0]);
    const s = other ? runValue(c, other, m.node, compileNow) : undefined;
    if (m && s && channelwise(s.dims, rank, cw.OC)) {
      c.skip.add(m.index);
      out = m.node.output[0];
      mul = s.v;
      const a = soleUser(c, out, 'Add');
      const b = a && c.constOf(a.node.input[0] === out ? a.node.input[1] : a.node.input[0], a.node);
      if (a && b && channelwise(b.dims, rank, cw.OC)) {
        c.skip.add(a.index);
        out = a.node.output[0];
        bias = b.f32.length === 1 ? new Float32Array(cw.OC).fill(b.f32[0]) : Float32Array.from(b.f32);
      }
      // A residual Add of an f32 tensor of the same shape (ResNet blocks), still in onnxruntime's order.
      const ra = soleUser(c, out, 'Add');
      const rv = ra && c.vals.get(ra.node.input[0] === out ? ra.node.input[1] : ra.node.input[0]);
      if (ra && rv?.k === 'f32' && rv.t.shape.join() === outShape.join()) {
        c.skip.add(ra.index);
        out = ra.node.output[0];
        residual = rv.t.id;
      }
      const r = soleUser(c, out, 'Relu');
      if (r) {
        c.skip.add(r.index);
        out = r.node.output[0];
        relu = true;
      }
    }
  }
  const t = c.tensor(out, 'f32', outShape);
  c.vals.set(out, { k: 'f32', t });
  c.emit({
    op: 'convint', name, input: x.t.id, output: t.id, C: inShape[1], OC: cw.OC, group, ...geo, weights: cw.weights,
    xZeroPoint, xUnsigned: x.t.srcType !== 'int8', ...(mul ? { mul } : {}), ...(bias ? { bias } : {}), ...(residual === undefined ? {} : { residual }), relu,
  });
  return true;
}

/**
 * Keeps a `convint` output channel-last when only `dynquant` ops and `convint` residual adds read it: no transposes
 * between the GEMM's pixel-major output and the next quantization (the layout does not change a single value).
 * Such tensors also get buffer slots by lifetime (first fit), so they live in a few reused wasm buffers.
 *
 * @example
 * ```ts
 * chooseF32Layouts(plan); // after compiling, before liveness
 * ```
 */
export function chooseF32Layouts(plan: Pick<Plan, 'ops' | 'tensors' | 'outputs'>): void {
  const outputs = new Set(plan.outputs.map((o) => o.tensor));
  const readers = new Map<number, number[]>();
  plan.ops.forEach((op, i) => {
    for (const id of opInputs(op)) (readers.get(id) ?? readers.set(id, []).get(id)!).push(i);
  });
  const slotFree: number[] = [];
  plan.ops.forEach((op, i) => {
    if (op.op !== 'convint' || plan.tensors[op.output].shape.length !== 4 || outputs.has(op.output)) return;
    const rs = readers.get(op.output) ?? [];
    const nhwcOk = (r: PlanOp) => (r.op === 'dynquant' && r.input === op.output) || (r.op === 'convint' && r.residual === op.output && r.input !== op.output);
    if (!rs.length || !rs.every((r) => nhwcOk(plan.ops[r]))) return;
    const t = plan.tensors[op.output];
    t.layout = 'nhwc';
    // A slot is free for this tensor once every reader of its previous tensor ran before this op.
    let slot = slotFree.findIndex((until) => until < i);
    if (slot < 0) slot = slotFree.push(0) - 1;
    slotFree[slot] = Math.max(...rs);
    t.slot = slot;
  });
}
