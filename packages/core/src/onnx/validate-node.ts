/**
 * Per-node rules of the load-time validation (validate-model.ts): attribute ranges and constant parameters that
 * make results meaningless or memory unbounded. Rank-dependent checks (an axis against the actual input rank) need
 * shapes and live in the engine's compiler; here an axis only has to be within any plausible rank.
 */
import { invalid } from './proto.js';
import { tensorToFloat32, tensorToBigInt64 } from './tensor.js';
import { AttributeType, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './types.js';

/** Bounds on node attributes and constant parameters. */
export const NODE_LIMITS = {
  /** Elements in one tensor a constant shape may ask for (1 GiB of float32). */
  maxElements: 2 ** 28,
  /** |axis| and the length of perm/axes/kernel_shape. */
  maxRank: 32,
  /** Kernel size, stride and dilation per spatial axis. */
  maxKernel: 4096,
  /** Padding per side (Conv/pool pads, Pad amounts). */
  maxPad: 65536,
  maxGroup: 1 << 20,
  /** Resize/Upsample scale per axis. */
  maxScale: 1024,
} as const;

/** What a node's checks can see of the graph around it. */
export interface NodeScope {
  opset: number;
  /** Names defined in this graph and the graphs around it. */
  outer: Set<string>;
  /** Initializers and Constant-node tensors by name (this graph and the graphs around it). */
  consts: Map<string, OnnxTensor>;
  /** The node producing each value (this graph), to see through DequantizeLinear/Identity/Cast to a weight. */
  producers?: Map<string, OnnxNode>;
}

const CONV_LIKE = new Set(['Conv', 'ConvInteger', 'QLinearConv', 'ConvTranspose']);
const POOLS = new Set(['MaxPool', 'AveragePool', 'LpPool', 'QLinearAveragePool']);
const AUTO_PAD = new Set(['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID']);
/** Inputs of quantized ops that are scales (must be finite and positive). */
const SCALE_INPUTS: Record<string, number[]> = {
  QuantizeLinear: [1], DequantizeLinear: [1], QLinearConv: [1, 4, 6], QLinearMatMul: [1, 4, 6], QLinearAdd: [1, 4, 6],
  QLinearMul: [1, 4, 6], QGemm: [1, 4, 7], QLinearGlobalAveragePool: [1, 3], QLinearAveragePool: [1, 3],
  QLinearSigmoid: [1, 3], QLinearLeakyRelu: [1, 3], QLinearSoftmax: [1, 3],
};
const RESIZE_MODES: Record<string, Set<string>> = {
  mode: new Set(['nearest', 'linear', 'cubic', 'bilinear', 'trilinear']),
  coordinate_transformation_mode: new Set(['half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn', 'tf_crop_and_resize']),
  nearest_mode: new Set(['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']),
  keep_aspect_ratio_policy: new Set(['stretch', 'not_larger', 'not_smaller']),
};
const decoder = new TextDecoder();

/**
 * Throws INVALID_MODEL when one node's attributes or constant parameters are out of range.
 *
 * @example
 * ```ts
 * validateNode(node, { opset: 13, outer: new Set(), consts: new Map() });
 * ```
 */
export function validateNode(n: OnnxNode, scope: NodeScope): void {
  const op = n.opType ?? '';
  const label = `node '${n.name || n.output[0] || '?'}' (${op || 'no op_type'})`;
  const fail = (why: string, extra: Record<string, unknown> = {}): never => invalid(`${label}: ${why}`, { reason: 'attribute', node: n.name ?? n.output[0], op, ...extra });
  if (!op) fail('has no op_type');
  if (n.domain && n.domain !== 'ai.onnx' && n.domain !== 'com.microsoft') return; // other domains: their runtime's business
  for (const a of n.attribute) checkAttribute(op, a, fail);
  if (CONV_LIKE.has(op) || POOLS.has(op)) checkWindow(n, op, scope, fail);
  if (op === 'Gemm') for (const k of ['transA', 'transB']) checkFlag(n, k, fail);
  if (op === 'Resize' || op === 'Upsample') checkResize(n, op, scope, fail);
  for (const i of SCALE_INPUTS[op] ?? (op === 'QLinearConcat' ? [0, ...n.input.map((_, k) => 3 + 3 * k).filter((k) => k < n.input.length)] : [])) {
    const s = constFloats(n.input[i], scope);
    if (s?.some((v) => !Number.isFinite(v) || v <= 0)) fail(`scale input '${n.input[i]}' must be finite and positive, got ${preview(s)}`, { reason: 'scale' });
  }
  if (op === 'ConstantOfShape' || op === 'Expand') checkShapeInput(n.input[op === 'Expand' ? 1 : 0], scope, 0, fail);
  if (op === 'Reshape') checkShapeInput(n.input[1], scope, -1, fail);
  if (op === 'Pad') {
    checkChoice(n, 'mode', new Set(['constant', 'reflect', 'edge', 'wrap']), fail);
    const pads = n.input[1] ? constInts(n.input[1], scope) : n.attribute.find((a) => a.name === 'pads')?.ints;
    if (pads?.some((p) => Math.abs(p) > NODE_LIMITS.maxPad)) fail(`pads [${preview(pads)}] exceed ${NODE_LIMITS.maxPad}`);
  }
}

type Fail = (why: string, extra?: Record<string, unknown>) => never;

/** Every attribute: finite floats (Constant values and Clip bounds may be infinite; nothing may be NaN), plausible axes. */
function checkAttribute(op: string, a: OnnxAttribute, fail: Fail): void {
  const name = a.name ?? '';
  const floats = a.type === AttributeType.FLOAT ? [a.f ?? 0] : a.type === AttributeType.FLOATS ? a.floats : [];
  const infOk = op === 'Constant' || op === 'Clip';
  if (floats.some((v) => Number.isNaN(v) || (!infOk && !Number.isFinite(v)))) {
    fail(`attribute ${name} = ${preview(floats)} is not a finite number`, { attribute: name, reason: 'nan-parameter' });
  }
  if (name === 'epsilon' && floats.some((v) => v < 0)) fail(`attribute epsilon = ${floats[0]} is negative`, { attribute: name });
  if (op === 'Constant') return;
  if (name === 'axis' && a.type === AttributeType.INT && Math.abs(a.i ?? 0) > NODE_LIMITS.maxRank) {
    fail(`attribute axis = ${a.i} is outside any supported rank (|axis| <= ${NODE_LIMITS.maxRank})`, { attribute: name });
  }
  if (name === 'axes' && a.type === AttributeType.INTS && (a.ints.length > NODE_LIMITS.maxRank || a.ints.some((v) => Math.abs(v) > NODE_LIMITS.maxRank))) {
    fail(`attribute axes = [${preview(a.ints)}] is outside any supported rank`, { attribute: name });
  }
  if (name === 'perm' && a.type === AttributeType.INTS) {
    const seen = new Set(a.ints);
    if (a.ints.length > NODE_LIMITS.maxRank || seen.size !== a.ints.length || a.ints.some((v) => !Number.isInteger(v) || v < 0 || v >= a.ints.length)) {
      fail(`attribute perm = [${preview(a.ints)}] is not a permutation`, { attribute: name });
    }
  }
}

/** Conv and pooling windows: kernel/stride/dilation/pad ranges and lengths, group, and the weights' kernel size. */
function checkWindow(n: OnnxNode, op: string, scope: NodeScope, fail: Fail): void {
  const ints = (k: string) => n.attribute.find((a) => a.name === k)?.ints;
  const kernel = ints('kernel_shape');
  const range = (k: string, v: number[] | undefined, lo: number, hi: number) => {
    if (v && (v.length > NODE_LIMITS.maxRank || v.some((x) => !Number.isInteger(x) || x < lo || x > hi))) fail(`attribute ${k} = [${preview(v)}] is outside ${lo}..${hi}`, { attribute: k });
  };
  range('kernel_shape', kernel, 1, NODE_LIMITS.maxKernel);
  range('strides', ints('strides'), 1, NODE_LIMITS.maxKernel);
  range('dilations', ints('dilations'), 1, NODE_LIMITS.maxKernel);
  range('pads', ints('pads'), 0, NODE_LIMITS.maxPad);
  range('output_padding', ints('output_padding'), 0, NODE_LIMITS.maxPad);
  if (kernel) {
    for (const [k, len] of [['strides', kernel.length], ['dilations', kernel.length], ['pads', 2 * kernel.length]] as const) {
      const v = ints(k);
      if (v && v.length !== len) fail(`attribute ${k} has ${v.length} values, kernel_shape needs ${len}`, { attribute: k });
    }
  } else if (POOLS.has(op)) fail('attribute kernel_shape is missing', { attribute: 'kernel_shape' });
  checkChoice(n, 'auto_pad', AUTO_PAD, fail);
  for (const k of ['ceil_mode', 'count_include_pad', 'storage_order']) checkFlag(n, k, fail);
  if (!CONV_LIKE.has(op)) return;
  const group = n.attribute.find((a) => a.name === 'group')?.i ?? 1;
  if (!Number.isInteger(group) || group < 1 || group > NODE_LIMITS.maxGroup) fail(`attribute group = ${group} is outside 1..${NODE_LIMITS.maxGroup}`, { attribute: 'group' });
  const w = constTensor(n.input[op === 'QLinearConv' ? 3 : 1], scope);
  if (!w || w.dims.length < 3) return;
  const wk = w.dims.slice(2);
  if (kernel && (kernel.length !== wk.length || kernel.some((k, i) => k !== wk[i]))) {
    fail(`kernel_shape [${kernel}] does not match the weights' kernel [${wk}]`, { attribute: 'kernel_shape' });
  }
  if (op !== 'ConvTranspose' && w.dims[0] % group !== 0) fail(`group = ${group} does not divide the ${w.dims[0]} output channels`, { attribute: 'group' });
}

/** Resize/Upsample: known modes, finite positive scales within bounds, sizes within the element limit. */
function checkResize(n: OnnxNode, op: string, scope: NodeScope, fail: Fail): void {
  for (const [k, set] of Object.entries(RESIZE_MODES)) checkChoice(n, k, set, fail);
  for (const k of ['exclude_outside', 'antialias']) checkFlag(n, k, fail);
  const old = op === 'Upsample' ? scope.opset < 9 : scope.opset < 11;
  const scales = op === 'Upsample' && old ? n.attribute.find((a) => a.name === 'scales')?.floats : constFloats(n.input[old || op === 'Upsample' ? 1 : 2], scope);
  const min = op === 'Upsample' ? 1 : 0;
  if (scales?.some((s) => !Number.isFinite(s) || s <= 0 || s < min || s > NODE_LIMITS.maxScale)) {
    fail(`scales [${preview(scales)}] must be finite, ${min ? 'at least 1' : 'positive'} and at most ${NODE_LIMITS.maxScale}`, { reason: 'resize' });
  }
  const roi = op === 'Resize' && !old ? constFloats(n.input[1], scope) : undefined;
  if (roi?.some((v) => !Number.isFinite(v))) fail(`roi [${preview(roi)}] must be finite`, { reason: 'resize' });
  if (op === 'Resize' && !old) checkShapeInput(n.input[3], scope, 1, fail);
}

/** A constant shape input: every entry at least `min`, at most maxElements elements in all. */
function checkShapeInput(name: string | undefined, scope: NodeScope, min: number, fail: Fail): void {
  const v = name ? constInts(name, scope) : undefined;
  if (!v) return;
  if (v.some((d) => d < min)) fail(`shape input '${name}' = [${preview(v)}] has entries below ${min}`);
  const n = v.reduce((p, d) => p * Math.max(d, 1), 1);
  if (n > NODE_LIMITS.maxElements) fail(`shape input '${name}' = [${preview(v)}] asks for ${n} elements, over the limit of ${NODE_LIMITS.maxElements}`, { reason: 'shape', elements: n });
}

function checkChoice(n: OnnxNode, key: string, allowed: Set<string>, fail: Fail): void {
  const s = n.attribute.find((a) => a.name === key)?.s;
  if (s === undefined) return;
  const v = decoder.decode(s);
  if (!allowed.has(v)) fail(`attribute ${key} = '${v.slice(0, 40)}' is not one of ${[...allowed].join(', ')}`, { attribute: key });
}

function checkFlag(n: OnnxNode, key: string, fail: Fail): void {
  const a = n.attribute.find((x) => x.name === key);
  if (a && a.i !== undefined && a.i !== 0 && a.i !== 1) fail(`attribute ${key} = ${a.i} must be 0 or 1`, { attribute: key });
}

/** The constant tensor behind a value: an initializer or Constant, seen through DequantizeLinear/Identity/Cast. */
function constTensor(name: string | undefined, scope: NodeScope): OnnxTensor | undefined {
  for (let depth = 0; name && depth < 4; depth++) {
    const t = scope.consts.get(name);
    if (t) return t;
    const p = scope.producers?.get(name);
    if (!p || !['DequantizeLinear', 'Identity', 'Cast'].includes(p.opType ?? '')) return undefined;
    name = p.input[0];
  }
  return undefined;
}

/** Values of a small constant (scales, sizes, pads); undefined when not constant, unreadable or large. */
function constFloats(name: string | undefined, scope: NodeScope): number[] | undefined {
  const t = name ? scope.consts.get(name) : undefined;
  if (!t || t.dims.reduce((p, d) => p * d, 1) > 4096) return undefined;
  try {
    return t.dataType === 7 ? Array.from(tensorToBigInt64(t), Number) : Array.from(tensorToFloat32(t));
  } catch {
    return undefined; // unreadable storage is reported where the tensor is read
  }
}

function constInts(name: string, scope: NodeScope): number[] | undefined {
  return constFloats(name, scope);
}

function preview(v: readonly number[]): string {
  return v.length > 8 ? `${v.slice(0, 8).join(',')},...` : v.join(',');
}
