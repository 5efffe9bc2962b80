// A CIFAR ResNet-20 with the paper's option-A shortcuts (strided identity + zero-padded channels; torch exports
// the pad amount as a Shape subgraph feeding Pad) runs on the own engine: fp32 and int8 by our quantizer, the int8
// one bit-identical to onnxruntime-web, chosen by `auto` as 'wasm' (not a fallback).
import { describe, expect, it } from 'vitest';
import { createBackendRegistry } from '../../../packages/core/src/backends/backend-registry.js';
import { createOrtBackend } from '../../../packages/core/src/backends/ort/ort-backend.js';
import { createWasmBackend } from '../../../packages/core/src/backends/wasm/wasm-backend.js';
import { compilePlan } from '../../../packages/core/src/engine/plan/compile-plan.js';
import { decodeModel } from '../../../packages/core/src/onnx/index.js';
import { quantize } from '../../../packages/core/src/quantizer/index.js';
import { randomInputs } from '../../../packages/core/src/testing/quantizer-helpers.js';
import { ortRun } from '../../../packages/core/src/testing/ort-oracle.js';
import { hasTorch, optionAResNet20 } from './model-cache.js';

const manifest = { input: { name: 'input', shape: [-1, 3, 32, 32] } } as never;

describe.skipIf(!hasTorch)('CIFAR ResNet-20, option-A shortcuts, on the own engine', () => {
  const fp32 = hasTorch ? optionAResNet20({ size: 32 }) : new Uint8Array();
  const ops = new Set(decodeModel(fp32).graph!.node.map((n) => n.opType));
  const inputs = [...randomInputs(3, [1, 3, 32, 32], 77), ...randomInputs(1, [2, 3, 32, 32] as never, 78)];

  it('the export has the option-A shape subgraph (Shape, Gather, ConstantOfShape, Concat, Reshape, Slice, Pad)', () => {
    for (const op of ['Shape', 'Gather', 'ConstantOfShape', 'Concat', 'Reshape', 'Slice', 'Pad']) expect(ops.has(op), op).toBe(true);
  });

  it('int8 (our quantizer): only int8 ops, strided slices and pads; auto picks wasm; bit-identical to onnxruntime-web', async () => {
    const { model: int8 } = await quantize({ model: fp32, calibration: randomInputs(8, [1, 3, 32, 32], 5) });
    const plan = compilePlan({ model: int8, inputShapes: { input: [1, 3, 32, 32] } });
    const kinds = new Set(plan.ops.map((o) => o.op));
    expect(kinds.has('float')).toBe(false);
    expect(plan.ops.filter((o) => o.op === 'slice').length).toBe(4);
    expect(plan.ops.filter((o) => o.op === 'pad').length).toBe(2);
    const registry = createBackendRegistry();
    registry.register(createWasmBackend());
    registry.register(createOrtBackend({ device: 'wasm', numThreads: 1 }));
    const session = await registry.createSession({ backend: 'auto', manifest, modelBytes: int8 });
    expect(session.backend).toBe('wasm');
    for (const x of inputs) {
      const got = (await session.run({ input: x })).logits;
      const want = (await ortRun(int8, { input: { data: x.data, dims: [...x.dims] } })).logits;
      expect(got.dims).toEqual([x.dims[0], 10]);
      expect(Array.from(got.data)).toEqual(Array.from(want.data as Float32Array));
    }
    await session.dispose();
  });

  it('fp32: runs on the own engine and matches onnxruntime-web within 1e-4', async () => {
    const registry = createBackendRegistry();
    registry.register(createWasmBackend());
    const session = await registry.createSession({ backend: 'wasm', manifest, modelBytes: fp32 });
    for (const x of inputs.slice(0, 2)) {
      const got = (await session.run({ input: x })).logits.data;
      const want = (await ortRun(fp32, { input: { data: x.data, dims: [...x.dims] } })).logits.data as Float32Array;
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4);
    }
    await session.dispose();
  });
});
