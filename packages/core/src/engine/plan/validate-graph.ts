/**
 * The compiler's share of model validation (the graph-level rules are onnx/validate-model.ts): checks that need
 * shapes, per node as it is compiled (an axis against the input's actual rank, as onnxruntime's shape inference
 * does), and an upper bound on the memory a plan would need, checked before the executor allocates anything.
 */
import { ModelLoadError } from '../../errors.js';
import type { OnnxNode } from '../../onnx/index.js';
import type { Compiler } from './compiler.js';
import { opOutputs } from './inspect.js';
import type { Plan, PlanTensor } from './types.js';

/** Most bytes a plan may need (weights, packed weights, activations at their peak): what wasm32 can address in one
 * memory, which is also the multi-threaded build's declared maximum. */
export const MAX_PLAN_BYTES = 2 ** 31;

/** axis in [-r, r - 1] (or [-r, r] for Flatten), per op. */
const AXIS_OPS = new Set(['Concat', 'Softmax', 'LogSoftmax', 'Hardmax', 'Gather', 'GatherElements', 'Split', 'ArgMax', 'ArgMin', 'LpNormalization', 'Compress']);
const WINDOW_OPS = new Set(['Conv', 'ConvInteger', 'QLinearConv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'LpPool']);

/**
 * Rank-dependent attribute checks of one node, with the shapes its inputs have in this compilation.
 *
 * @example
 * ```ts
 * checkNodeShapes(compiler, node); // Flatten axis=99 on a rank-4 input -> INVALID_MODEL
 * ```
 */
export function checkNodeShapes(c: Compiler, node: OnnxNode): void {
  const op = node.opType ?? '';
  const first = node.input[0] ? c.vals.get(node.input[0]) : undefined;
  if (!first) return;
  const r = c.shapeOf(first).length;
  const fail = (why: string): never => {
    const name = node.name || node.output[0] || '?';
    throw new ModelLoadError('INVALID_MODEL', `Invalid ONNX model: node '${name}' (${op}): ${why}`, { details: { reason: 'attribute', node: name, op } });
  };
  const attr = (k: string) => node.attribute.find((a) => a.name === k);
  const axis = attr('axis')?.i;
  if (op === 'Flatten' && axis !== undefined && (axis < -r || axis > r)) fail(`axis ${axis} is outside [${-r}, ${r}] for a rank-${r} input`);
  if (AXIS_OPS.has(op) && axis !== undefined && (axis < -r || axis >= r)) fail(`axis ${axis} is outside [${-r}, ${r - 1}] for a rank-${r} input`);
  const axes = attr('axes')?.ints;
  if (axes && (op === 'Squeeze' || op.startsWith('Reduce')) && axes.some((a) => a < -r || a >= r)) fail(`axes [${axes}] are outside [${-r}, ${r - 1}] for a rank-${r} input`);
  if (axes && op === 'Unsqueeze' && axes.some((a) => a < -(r + axes.length) || a >= r + axes.length)) fail(`axes [${axes}] are outside the output rank ${r + axes.length}`);
  const perm = attr('perm')?.ints;
  if (op === 'Transpose' && perm && perm.length !== r) fail(`perm has ${perm.length} entries for a rank-${r} input`);
  const kernel = attr('kernel_shape')?.ints;
  if (WINDOW_OPS.has(op) && kernel && kernel.length !== r - 2) fail(`kernel_shape has ${kernel.length} entries for a rank-${r} input`);
  if (op === 'Concat') {
    for (const name of node.input) {
      const v = name ? c.vals.get(name) : undefined;
      if (v && c.shapeOf(v).length !== r) fail(`inputs of ranks ${r} and ${c.shapeOf(v).length} cannot be concatenated`);
    }
  }
}

/** Bytes a plan needs, estimated from above: what its ops hold (weights, tables) and activations at their peak. */
export interface PlanMemory {
  /** Typed arrays held by the ops (int8 weights and the like), counted twice: the SIMD128 kernel packs weights as int16. */
  constants: number;
  /** The most activation bytes live at once (int8 tensors NHWC with channels padded to 16, f32 at 4 bytes). */
  activations: number;
  total: number;
}

/**
 * Estimates the memory a plan needs, without allocating it.
 *
 * @example
 * ```ts
 * const { total } = planMemory(plan); // bytes
 * ```
 */
export function planMemory(plan: Plan): PlanMemory {
  let constants = 0;
  for (const op of plan.ops) {
    for (const v of Object.values(op)) if (ArrayBuffer.isView(v)) constants += 2 * v.byteLength;
    if (op.op === 'float') for (const k of Object.values(op.consts)) if (k) constants += k.data.byteLength;
  }
  // Liveness sweep: a tensor lives from the op that writes it (graph inputs: from the start) to its last reader.
  const first = new Array<number>(plan.tensors.length).fill(-1);
  plan.ops.forEach((op, i) => opOutputs(op).forEach((t) => (first[t] = i)));
  // Slot k is "before op k - 1" (slot 0: the inputs); outputs stay live through slot ops.length + 1.
  const delta = new Array<number>(plan.ops.length + 3).fill(0);
  plan.tensors.forEach((t, id) => {
    const last = plan.lastUse[id];
    if (last < 0 && first[id] < 0) return;
    const bytes = tensorBytes(t);
    delta[first[id] + 1] += bytes;
    delta[Math.max(first[id], last) + 2] -= bytes;
  });
  let live = 0, activations = 0;
  for (const d of delta) activations = Math.max(activations, (live += d));
  return { constants, activations, total: constants + activations };
}

function tensorBytes(t: PlanTensor): number {
  const s = t.shape;
  if (t.dtype === 'f32') return 4 * s.reduce((p, d) => p * d, 1);
  const C = s.length >= 2 ? s[1] : (s[0] ?? 1);
  return ((C + 15) & ~15) * s.reduce((p, d) => p * d, 1) / Math.max(1, C);
}

/**
 * Throws INVALID_MODEL when a plan would need more than {@link MAX_PLAN_BYTES}, with the figures in the message.
 *
 * @example
 * ```ts
 * checkPlanMemory(plan); // before any wasm memory or GPU buffer is allocated for it
 * ```
 */
export function checkPlanMemory(plan: Plan): void {
  const m = planMemory(plan);
  if (m.total <= MAX_PLAN_BYTES) return;
  const mb = (b: number) => Math.round(b / 2 ** 20);
  const shapes = plan.inputs.map((i) => `${i.name} [${plan.tensors[i.tensor].shape}]`).join(', ');
  throw new ModelLoadError('INVALID_MODEL', `Invalid ONNX model: the plan for ${shapes} needs about ${mb(m.total)} MB (weights ${mb(m.constants)} MB, activations ${mb(m.activations)} MB at their peak), over the engine's ${mb(MAX_PLAN_BYTES)} MB`, {
    details: { reason: 'memory', ...m, limit: MAX_PLAN_BYTES },
  });
}
