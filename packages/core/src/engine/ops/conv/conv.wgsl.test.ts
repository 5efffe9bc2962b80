import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convQ8Ref } from './reference.js';
import { CONV_CASES, makeConvCase } from './cases.js';
import { hasSwiftShader, setupDawn } from '../../../testing/dawn-test-setup.js';
import { prepareConvQ8 } from './conv.wgsl.js';
import { hasPackedDot } from '../../webgpu/wgsl-common.js';
import { runQ8OpGpu, shaderVariants } from '../../../testing/wgsl-test-harness.js';

describe.skipIf(!hasSwiftShader)('int8 conv WGSL kernel vs TS reference (Dawn, SwiftShader)', () => {
  let device: GPUDevice, packedSupported = false;
  beforeAll(async () => {
    const gpu = (await setupDawn())!;
    packedSupported = hasPackedDot(gpu);
    device = await (await gpu.requestAdapter())!.requestDevice();
  });
  afterAll(() => device?.destroy());

  it('the adapter exposes packed_4x8_integer_dot_product (so the dot4I8Packed path is tested)', () => {
    expect(packedSupported).toBe(true);
  });

  for (const c of CONV_CASES.filter((c) => c.gpu !== false)) {
    it(c.name, async () => {
      const { op, inShape, outShape, x } = makeConvCase(c);
      const want = convQ8Ref({ op, x, inShape, outShape });
      if (!c.big) expect(new Set(want).size).toBeGreaterThan(8);
      for (const packed of shaderVariants(packedSupported)) {
        const { outputs, exec } = await runQ8OpGpu({ device, packed, op, shapes: [inShape, outShape], inputs: { 0: x }, f32Outputs: c.f32 ? [1] : [] });
        exec.destroy();
        expect({ packed, y: Array.from(outputs[1]) }).toEqual({ packed, y: Array.from(want) });
      }
    });
  }
});

describe('conv kernel preparation', () => {
  it('rejects grouped convolutions with UNSUPPORTED_OP (the registry then moves on to wasm)', () => {
    for (const c of CONV_CASES.filter((c) => c.gpu === false)) {
      const { op, inShape, outShape } = makeConvCase(c);
      expect(() => prepareConvQ8({ op, inShape, outShape })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_OP' }));
    }
  });
});
