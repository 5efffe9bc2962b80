// The compiler's validation: rank-dependent attribute checks per node, and the planned-memory bound checked before
// anything is allocated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../errors.js';
import { DataType, decodeModel, makeAttr, type OnnxModel, type OnnxNode } from '../../onnx/index.js';
import { compilePlan } from './compile-plan.js';
import type { Plan } from './types.js';
import { checkPlanMemory, MAX_PLAN_BYTES, planMemory } from './validate-graph.js';

const FMNIST = new URL('../../../../../models/fmnist-resnet20/model.int8.onnx', import.meta.url);

function oneNode(node: Omit<OnnxNode, 'output' | 'attribute'> & Partial<OnnxNode>, dims = [1, 3, 4, 4]): OnnxModel {
  return {
    opsetImport: [{ domain: '', version: 13 }],
    metadataProps: [],
    graph: {
      node: [{ output: ['y'], attribute: [], ...node }],
      initializer: [],
      input: ['x', 'x2'].map((name) => ({ name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } })),
      output: [{ name: 'y' }],
      valueInfo: [],
    },
  };
}

function reason(m: OnnxModel, inputShapes?: Record<string, number[]>): string {
  try {
    compilePlan({ model: m, inputShapes });
    return 'compiled';
  } catch (e) {
    expect(e).toBeInstanceOf(ModelLoadError);
    expect((e as ModelLoadError).code).toBe('INVALID_MODEL');
    return String((e as ModelLoadError).details?.reason);
  }
}

describe('checkNodeShapes (rank-dependent, as onnxruntime shape inference)', () => {
  it('Flatten axis in [-r, r]', () => {
    expect(reason(oneNode({ opType: 'Flatten', input: ['x'], attribute: [makeAttr('axis', 4)] }))).toBe('compiled');
    expect(reason(oneNode({ opType: 'Flatten', input: ['x'], attribute: [makeAttr('axis', 5)] }))).toBe('attribute');
    expect(reason(oneNode({ opType: 'Flatten', input: ['x'], attribute: [makeAttr('axis', -5)] }))).toBe('attribute');
  });
  it('Softmax and Concat axis in [-r, r - 1]; Concat ranks agree; Transpose perm has r entries', () => {
    expect(reason(oneNode({ opType: 'Softmax', input: ['x'], attribute: [makeAttr('axis', 3)] }))).toBe('compiled');
    expect(reason(oneNode({ opType: 'Softmax', input: ['x'], attribute: [makeAttr('axis', 4)] }))).toBe('attribute');
    expect(reason(oneNode({ opType: 'Concat', input: ['x', 'x2'], attribute: [makeAttr('axis', 4)] }))).toBe('attribute');
    expect(reason(oneNode({ opType: 'Concat', input: ['x', 'x2'], attribute: [makeAttr('axis', 1)] }), { x: [1, 3, 4, 4], x2: [1, 3, 16] })).toBe('attribute');
    expect(reason(oneNode({ opType: 'Transpose', input: ['x'], attribute: [makeAttr('perm', [0, 2, 1])] }))).toBe('attribute');
  });
});

describe('planMemory / checkPlanMemory', () => {
  it('counts the weights twice (int16 packing) and the activations at their peak, for the default classifier', () => {
    const plan = compilePlan({ model: decodeModel(new Uint8Array(readFileSync(FMNIST))), inputShapes: { input: [1, 1, 28, 28] } });
    const m = planMemory(plan);
    const weights = plan.ops.reduce((n, op) => n + (op.op === 'conv' ? op.weights.byteLength : 0), 0);
    expect(m.constants).toBeGreaterThanOrEqual(2 * weights);
    expect(m.constants).toBeLessThan(2 * weights + 200_000);
    // Peak: a 16..64-channel 28x28 block's input, residual and output, NHWC with channels padded to 16.
    expect(m.activations).toBeGreaterThanOrEqual(3 * 16 * 28 * 28);
    expect(m.activations).toBeLessThan(10 * 64 * 28 * 28);
    // Batch 64: activations scale with the batch, the weights do not.
    const m64 = planMemory(compilePlan({ model: decodeModel(new Uint8Array(readFileSync(FMNIST))), inputShapes: { input: [64, 1, 28, 28] } }));
    expect(m64.constants).toBe(m.constants);
    expect(m64.activations).toBeGreaterThan(60 * m.activations);
  });

  it('refuses a plan over the limit with the figures, before allocating', () => {
    // 12 float tensors of 2^26 elements, all live at once: 3 GiB, each under the per-tensor bound.
    const n = 12, shape = [1, 64, 1024, 1024];
    const tensors = Array.from({ length: n + 1 }, (_, id) => ({ id, name: `t${id}`, dtype: 'f32' as const, shape }));
    const plan: Plan = {
      tensors, format: 'fp32', inputs: [{ name: 't0', tensor: 0 }], outputs: tensors.slice(1).map((t) => ({ name: t.name, tensor: t.id })),
      ops: tensors.slice(1).map((t) => ({ op: 'float', name: t.name, opType: 'Relu', inputs: [0], outputs: [t.id], attrs: {}, consts: {} })),
      lastUse: tensors.map((_, id) => (id === 0 ? n - 1 : n)),
    };
    expect(planMemory(plan).total).toBeGreaterThan(MAX_PLAN_BYTES);
    const err = (() => { try { checkPlanMemory(plan); } catch (e) { return e as ModelLoadError; } })();
    expect(err?.code).toBe('INVALID_MODEL');
    expect(err?.message).toMatch(/needs about 3328 MB .*activations 3328 MB/);
    expect(err?.details?.reason).toBe('memory');
  });
});
