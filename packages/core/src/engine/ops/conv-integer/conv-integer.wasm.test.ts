import { describe, expect, it } from 'vitest';
import { PlanExecutor } from '../../exec/wasm/executor.js';
import type { Plan, PlanTensor } from '../../plan/types.js';
import { computeLastUse } from '../../plan/inspect.js';
import { testEngines } from '../../../testing/q8-test-harness.js';
import { CONV_INTEGER_CASES, makeConvIntegerCase } from './cases.js';
import { convIntegerRef } from './reference.js';
import { convIntegerWinograd } from './winograd-wasm.js';
import { WINO_LIMIT, winogradBound } from '../shared/winograd-bound.js';

describe('ConvInteger / MatMulInteger with the dynamic-quantization epilogue (wasm) vs TS reference', async () => {
  for (const { name, engine } of await testEngines()) {
    for (const c of CONV_INTEGER_CASES) for (const nhwc of c.outShape.length === 4 ? [false, true] : [false]) {
      it(`${name}: ${c.name}${nhwc ? ', channel-last f32 output and residual' : ''}`, async () => {
        const { op, x, mul, residual } = makeConvIntegerCase(c);
        const want = convIntegerRef({ op, x, xZeroPoint: c.zx, mul, residual, inShape: c.inShape, outShape: c.outShape, outNhwc: nhwc, residualNhwc: nhwc });
        // A plan with the multiplier and residual as f32 graph inputs (as a run-time Mul output would be).
        const layout = nhwc ? { layout: 'nhwc' as const } : {};
        const tensors: PlanTensor[] = [
          { id: 0, name: 'x', dtype: 'q8', shape: c.inShape, srcType: 'uint8' }, { id: 1, name: 'y', dtype: 'f32', shape: c.outShape, ...layout },
          { id: 2, name: 'm', dtype: 'f32', shape: [mul?.length ?? 1] }, { id: 3, name: 'r', dtype: 'f32', shape: c.outShape, ...layout },
        ];
        const plan: Plan = {
          tensors, ops: [op], format: 'dynamic', lastUse: computeLastUse([op], 4, [1]),
          inputs: [{ name: 'x', tensor: 0 }, { name: 'm', tensor: 2 }, { name: 'r', tensor: 3 }], outputs: [{ name: 'y', tensor: 1 }],
        };
        const exec = new PlanExecutor(plan, await engine());
        const xu8 = Uint8Array.from(x, (v) => v + 128);
        const feeds = { x: { data: xu8, dims: c.inShape }, m: { data: mul ?? Float32Array.of(1), dims: [mul?.length ?? 1] }, r: { data: residual ?? new Float32Array(want.length), dims: c.outShape } };
        const got = exec.run(feeds).y.data as Float32Array;
        // Stride-1 3x3 cases run as exact Winograd where the overflow proof holds, with the same values.
        expect(exec.variants()[0]).toBe(c.winograd ? 'winograd' : undefined);
        expect(new Set(Array.from(want)).size).toBeGreaterThan(c.extreme ? 3 : 10);
        expect(Array.from(got)).toEqual(Array.from(want));
      });
    }
  }
});

describe('ConvInteger Winograd applicability', () => {
  it('the case table marks exactly the cases whose overflow proof holds; Winograd switched off runs them direct', async () => {
    for (const c of CONV_INTEGER_CASES) {
      const { op } = makeConvIntegerCase(c);
      const shape = op.group === 1 && op.kernel.every((k) => k === 3) && op.strides.every((s) => s === 1);
      expect(shape && winogradBound(op) < WINO_LIMIT, c.name).toBe(c.winograd === true);
      expect(convIntegerWinograd(op, { engine: { winograd: false } as never }), c.name).toBe(false);
    }
  });
});

