// torchvision ResNets quantized by onnxruntime's own tools run on the own engine, chosen by `auto` (not a fallback),
// bit-identical to onnxruntime-web (wasm, one thread):
// - quantize_static, QDQ and QOperator, uint8 and int8 activations, per-channel and per-tensor int8 weights. With int8
//   activations onnxruntime keeps the convs and adds of residual blocks in float (its QDQ fusions refuse int8
//   activations off ARM, see engine/plan/ort-types.ts); the engine follows it op for op;
// - quantize_dynamic (DynamicQuantizeLinear + ConvInteger/MatMulInteger + Cast/Mul/Add), uint8 and int8 weights.
import { describe, expect, it } from 'vitest';
import { createBackendRegistry } from '../../../packages/core/src/backends/backend-registry.js';
import { createOrtBackend } from '../../../packages/core/src/backends/ort/ort-backend.js';
import { createWasmBackend } from '../../../packages/core/src/backends/wasm/wasm-backend.js';
import type { InferenceSession } from '../../../packages/core/src/backends/types.js';
import { compilePlan } from '../../../packages/core/src/engine/plan/compile-plan.js';
import { threadsSupported } from '../../../packages/core/src/engine/wasm/thread-support.js';
import { randomInputs } from '../../../packages/core/src/testing/quantizer-helpers.js';
import { ortRun } from '../../../packages/core/src/testing/ort-oracle.js';
import { hasOrtQuantizer, hasTorch, ortQuantized, type OrtQuantMode } from './model-cache.js';

const SIZE = 64;
const manifest = { input: { name: 'input', shape: [-1, 3, SIZE, SIZE] } } as never;
const inputs = randomInputs(2, [1, 3, SIZE, SIZE], 91);

async function autoSession(model: Uint8Array, threads: number): Promise<InferenceSession> {
  const registry = createBackendRegistry();
  registry.register(createWasmBackend({ threads }));
  registry.register(createOrtBackend({ device: 'wasm', numThreads: 1 }));
  return registry.createSession({ backend: 'auto', manifest, modelBytes: model });
}

/** The own engine (1 thread, or 2: helper threads split the convs) against onnxruntime-web, logits bit for bit. */
async function expectBitIdentical(model: Uint8Array, threads = 1): Promise<void> {
  const session = await autoSession(model, threads);
  expect(session.backend).toBe('wasm');
  for (const x of inputs) {
    const got = (await session.run({ input: x })).logits;
    const want = (await ortRun(model, { input: { data: x.data, dims: [...x.dims] } })).logits.data as Float32Array;
    expect(Array.from(got.data)).toEqual(Array.from(want));
  }
  await session.dispose();
}

const opKinds = (model: Uint8Array) => {
  const counts: Record<string, number> = {};
  for (const op of compilePlan({ model, inputShapes: { input: [1, 3, SIZE, SIZE] } }).ops) {
    const k = op.op === 'float' ? `float:${op.opType}` : op.op;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
};

describe.skipIf(!hasTorch || !hasOrtQuantizer)('onnxruntime-quantized torchvision ResNet-18 on the own engine', () => {
  const cases: [OrtQuantMode, boolean][] = [['qdq-u8', false], ['qdq-s8', false], ['qdq-s8', true], ['qop-u8', false], ['qop-s8', false], ['qop-s8', true]];
  for (const [mode, perTensor] of cases) {
    it(`quantize_static ${mode}${perTensor ? ', per-tensor weights' : ''}: bit-identical to onnxruntime-web`, async () => {
      const model = ortQuantized({ arch: 'resnet18', size: SIZE, mode, perTensor });
      const ops = opKinds(model);
      expect(Object.keys(ops).some((k) => k.startsWith('float:'))).toBe(false);
      // int8 QDQ: the 8 first convs of residual blocks and the 3 downsample convs stay float in onnxruntime.
      expect(ops.fconv ?? 0).toBe(mode === 'qdq-s8' ? 11 : 0);
      await expectBitIdentical(model);
    });
  }

  for (const mode of ['dynamic-u8', 'dynamic-s8'] as const) {
    it(`quantize_dynamic (${mode === 'dynamic-u8' ? 'uint8' : 'int8'} weights): every conv and the head on the int8 kernels, bit-identical`, async () => {
      const model = ortQuantized({ arch: 'resnet18', size: SIZE, mode });
      const ops = opKinds(model);
      expect(compilePlan({ model }).format).toBe('dynamic');
      expect(ops.convint).toBe(21);
      expect(ops.dynquant).toBe(18);
      expect(ops['float:Conv'] ?? 0).toBe(0);
      await expectBitIdentical(model);
      // ConvInteger's GEMMs and epilogue split across a helper thread: the same logits.
      if (threadsSupported()) await expectBitIdentical(model, 2);
    });
  }
});

describe.skipIf(!hasTorch || !hasOrtQuantizer)('onnxruntime-quantized torchvision ResNet-50 on the own engine', () => {
  for (const mode of ['dynamic-u8', 'qdq-s8'] as const) {
    it(`${mode}: bit-identical to onnxruntime-web`, async () => {
      const model = ortQuantized({ arch: 'resnet50', size: SIZE, mode, perTensor: mode === 'qdq-s8' });
      await expectBitIdentical(model);
    });
  }
});
