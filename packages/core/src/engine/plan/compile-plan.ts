/**
 * Graph compiler: ONNX (QDQ, QOperator or fp32) -> {@link Plan}, a backend-neutral list of fused int8 ops and
 * float reference ops over statically shaped tensors. fp32 models run through the float kernels (BatchNormalization
 * folded into the preceding Conv at load); quantized graphs run int8 end to end between Quantize/Dequantize.
 */
import { ResNetEdgeError } from '../../errors.js';
import { DataType, decodeModel, type OnnxModel, type OnnxNode } from '../../onnx/index.js';
import { Compiler, readAttrs, unsupportedNode } from './compiler.js';
import { constFromTensor, dequantizeConst, quantizeValue, type Const } from './consts.js';
import { fuseAdd, fuseConcat, fuseMatmulLike, fusePool, reshapeQuant } from './qdq.js';
import { qoperatorNode } from './qoperator.js';
import type { Plan } from './types.js';
import { computeLastUse } from './inspect.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import { foldConstNode, makeConst } from './fold-const.js';
import { sliceOrPadQuant } from './slice-pad.js';
import { chooseF32Layouts, dynamicQuantNode } from './dynamic-quant.js';
import { requantTable } from '../ops/shared/requant.js';
import { validateModel } from '../../onnx/validate-model.js';
import { checkNodeShapes, checkPlanMemory } from './validate-graph.js';

export type { Plan } from './types.js';

export interface CompileOptions {
  /** Concrete shapes for graph inputs (dynamic or missing dims otherwise become 1). */
  inputShapes?: Record<string, readonly number[]>;
  /** Graph inputs to bind as constants (the ONNX node tests feed weights and scales as inputs). */
  constants?: Record<string, Const>;
}

const QOPS = new Set(['QLinearConv', 'QLinearMatMul', 'QGemm', 'QLinearAdd', 'QLinearGlobalAveragePool', 'QLinearAveragePool']);

/**
 * Compiles an ONNX model (bytes or decoded) into an execution plan.
 *
 * @example
 * ```ts
 * const plan = compilePlan({ model: bytes, inputShapes: { input: [1, 1, 28, 28] } });
 * console.log(plan.format, plan.ops.length);
 * ```
 */
export function compilePlan(options: CompileOptions & { model: Uint8Array | OnnxModel }): Plan {
  const model = options.model instanceof Uint8Array ? decodeModel(options.model) : options.model;
  const graph = model.graph;
  if (!graph) throw new ResNetEdgeError('INVALID_MODEL', 'The ONNX model has no graph');
  validateModel(model); // once per decoded model
  const opset = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 13;
  const c = new Compiler(graph, opset);
  for (const init of graph.initializer) if (init.name) c.vals.set(init.name, { k: 'const', c: constFromTensor(init) });
  const inputs: Plan['inputs'] = [];
  for (const vi of graph.input) {
    const name = vi.name ?? '';
    const bound = options.constants?.[name];
    if (bound) {
      c.vals.set(name, { k: 'const', c: bound });
      continue;
    }
    if (c.vals.has(name)) continue; // initializer listed as input (IR < 4)
    const tt = vi.type?.tensorType;
    const given = options.inputShapes?.[name];
    const shape = given ? [...given] : (tt?.shape?.dim ?? []).map((d) => (d.dimValue && d.dimValue > 0 ? d.dimValue : 1));
    const et = tt?.elemType ?? DataType.FLOAT;
    let t;
    // fp16 inputs (model_fp16.onnx with fp16 I/O) run as fp32: the engine widens fp16 to fp32 at load (weights,
    // constants) and treats Cast to float16 as fp32 (see engine/README.md).
    if (et === DataType.FLOAT || et === DataType.FLOAT16) t = c.tensor(name, 'f32', shape);
    else if (et === DataType.UINT8 || et === DataType.INT8) {
      t = c.tensor(name, 'q8', shape, { srcType: et === DataType.UINT8 ? 'uint8' : 'int8' });
    } else throw new ResNetEdgeError('UNSUPPORTED_OP', `Graph input '${name}' has unsupported element type ${et}`, { details: { input: name } });
    c.vals.set(name, { k: t.dtype, t } as { k: 'f32' | 'q8'; t: typeof t });
    inputs.push({ name, tensor: t.id });
  }
  let sawQ = false, sawQOp = false, sawDynamic = false;
  graph.node.forEach((node, i) => {
    if (QOPS.has(node.opType ?? '')) sawQOp = true;
    if (node.opType === 'QuantizeLinear') sawQ = true;
    if (node.opType === 'DynamicQuantizeLinear') sawDynamic = true;
    if (!c.skip.has(i)) compileNode(c, node);
  });
  const outputs: Plan['outputs'] = graph.output.map((o) => {
    const name = o.name ?? '';
    const v = c.vals.get(name);
    if (!v) throw new ResNetEdgeError('UNSUPPORTED_OP', `Graph output '${name}' is not computed by any node`);
    if (v.k === 'const') {
      // Folded at plan time (e.g. a Shape): an Identity of the constant produces it.
      const t = c.tensor(name, 'f32', [...v.c.dims]);
      c.emit({ op: 'float', name, opType: 'Identity', inputs: [-1], outputs: [t.id], attrs: {}, consts: { 0: { data: v.c.f32, dims: v.c.dims } } });
      return { name, tensor: t.id };
    }
    const tensor = v.k === 'dq' ? c.asF32(name, graph.node[0] ?? { input: [], output: [name], attribute: [] }).id : v.t.id;
    return { name, tensor };
  });
  const format = sawQOp ? 'qoperator' : sawQ ? 'qdq' : sawDynamic ? 'dynamic' : 'fp32';
  const ops = c.ops;
  if (sawDynamic) chooseF32Layouts({ ops, tensors: c.tensors, outputs });
  const plan: Plan = { tensors: c.tensors, ops, inputs, outputs, format, lastUse: computeLastUse(ops, c.tensors.length, outputs.map((o) => o.tensor)) };
  checkPlanMemory(plan); // before any backend allocates for it
  return plan;
}

function compileNode(c: Compiler, node: OnnxNode): void {
  const op = node.opType ?? '';
  if (node.domain && node.domain !== 'ai.onnx' && node.domain !== 'com.microsoft') unsupportedNode(node, `domain '${node.domain}'`);
  checkNodeShapes(c, node);
  if (op === 'Constant') return constantNode(c, node);
  if (foldConstNode(c, node)) return;
  if (dynamicQuantNode(c, node, compileNode)) return;
  if (op === 'QuantizeLinear') return quantize(c, node);
  if (op === 'DequantizeLinear') return dequantize(c, node);
  if (qoperatorNode(c, node)) return;
  if ((op === 'Conv' || op === 'Gemm' || op === 'MatMul') && fuseMatmulLike(c, node)) return;
  if (op === 'Add' && fuseAdd(c, node)) return;
  if ((op === 'MaxPool' || op === 'AveragePool' || op === 'GlobalAveragePool') && fusePool(c, node)) return;
  if ((op === 'Flatten' || op === 'Reshape' || op === 'Squeeze' || op === 'Unsqueeze') && reshapeQuant(c, node)) return;
  if ((op === 'Slice' || op === 'Pad') && sliceOrPadQuant(c, node)) return;
  if (op === 'Concat' && fuseConcat(c, node)) return;
  if (op === 'BatchNormalization' && foldBatchNorm(c, node)) return;
  c.emitFloat(node);
}

/** Constant node: a tensor, or (opset 12+) value_int(s) / value_float(s). */
function constantNode(c: Compiler, node: OnnxNode): void {
  const a = node.attribute.find((x) => x.name?.startsWith('value'));
  let k: Const | undefined;
  if (a?.name === 'value' && a.t) k = constFromTensor(a.t);
  else if (a?.name === 'value_int') k = makeConst([], DataType.INT64, [a.i ?? 0]);
  else if (a?.name === 'value_ints') k = makeConst([a.ints.length], DataType.INT64, a.ints);
  else if (a?.name === 'value_float') k = makeConst([], DataType.FLOAT, [a.f ?? 0]);
  else if (a?.name === 'value_floats') k = makeConst([a.floats.length], DataType.FLOAT, a.floats);
  if (!k) unsupportedNode(node, 'only tensor, int and float Constant values are supported');
  c.vals.set(node.output[0], { k: 'const', c: k });
}

function quantize(c: Compiler, node: OnnxNode): void {
  const x = c.val(node.input[0], node);
  const s = c.constOf(node.input[1], node);
  const z = c.constOf(node.input[2], node);
  const attrs = readAttrs(node, c.opset);
  const dt = z ? z.dataType : attrs.output_dtype === DataType.INT8 ? DataType.INT8 : DataType.UINT8;
  if (dt !== DataType.UINT8 && dt !== DataType.INT8) unsupportedNode(node, 'only uint8/int8 quantization is supported');
  const [lo, hi] = dt === DataType.UINT8 ? [0, 255] : [-128, 127];
  if (x.k === 'const') {
    // Constant weights stored as float: fold QuantizeLinear now (per-axis allowed).
    if (!s) unsupportedNode(node, 'scale must be constant');
    const axis = (attrs.axis as number | undefined) ?? 1;
    const rank = x.c.dims.length, ax = axis < 0 ? axis + rank : axis;
    const inner = x.c.dims.slice(ax + 1).reduce((p, d) => p * d, 1), n = x.c.dims[ax] ?? 1;
    const f32 = x.c.f32.map((v, i) => {
      const ch = s.f32.length > 1 ? Math.floor(i / inner) % n : 0;
      return quantizeValue(v, s.f32[ch], z ? z.f32[z.f32.length > 1 ? ch : 0] : 0, lo, hi);
    });
    c.vals.set(node.output[0], { k: 'const', c: { dims: x.c.dims, dataType: dt, f32, i32: Int32Array.from(f32) } });
    return;
  }
  if (!s || s.f32.length !== 1 || (z && z.f32.length !== 1)) unsupportedNode(node, 'per-axis activation quantization is not supported');
  const zp = (z ? z.f32[0] : 0) - (dt === DataType.UINT8 ? 128 : 0);
  const scale = s.f32[0];
  const srcType = dt === DataType.UINT8 ? 'uint8' : 'int8';
  if (x.k === 'dq' && x.q.scale === scale && x.q.zeroPoint === zp) {
    c.vals.set(node.output[0], { k: 'q8', t: x.t });
    c.qNames.set(x.t.id, node.output[0]);
    return;
  }
  if (x.k === 'dq') {
    // Quantizing a dequantized value with other parameters: one table lookup, exact to the f32 arithmetic.
    const t = c.tensor(node.output[0], 'q8', [...x.t.shape], { scale, zeroPoint: zp, srcType });
    c.emit({ op: 'requant', name: node.name || node.output[0], input: x.t.id, output: t.id, table: requantTable({ x: x.q, y: { scale, zeroPoint: zp } }) });
    c.vals.set(node.output[0], { k: 'q8', t });
    return;
  }
  const input = c.asF32(node.input[0], node);
  const t = c.tensor(node.output[0], 'q8', [...input.shape], { scale, zeroPoint: zp, srcType });
  c.emit({ op: 'quantize', name: node.name || node.output[0], input: input.id, output: t.id, scale, zeroPoint: zp });
  c.vals.set(node.output[0], { k: 'q8', t });
}

function dequantize(c: Compiler, node: OnnxNode): void {
  const x = c.val(node.input[0], node);
  const s = c.constOf(node.input[1], node);
  const z = c.constOf(node.input[2], node);
  if (!s) unsupportedNode(node, 'scale must be constant');
  const axis = (readAttrs(node, c.opset).axis as number | undefined) ?? 1;
  if (x.k === 'const') {
    c.vals.set(node.output[0], { k: 'const', c: dequantizeConst(x.c, s, z, axis) });
    return;
  }
  if (x.k !== 'q8') unsupportedNode(node, 'input is not an int8/uint8 tensor');
  if (s.f32.length !== 1 || (z && z.f32.length !== 1)) unsupportedNode(node, 'per-axis activation dequantization is not supported');
  const u8 = !z || z.dataType === DataType.UINT8;
  const q = { scale: s.f32[0], zeroPoint: (z ? z.f32[0] : 0) - (u8 ? 128 : 0) };
  x.t.scale ??= q.scale;
  x.t.zeroPoint ??= q.zeroPoint;
  c.vals.set(node.output[0], { k: 'dq', t: x.t, q });
}
