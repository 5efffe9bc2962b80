// model_fp16.onnx files (fp16 initializers and activations; fp32 I/O behind Cast nodes, or fp16 I/O) load on the
// own engine, which widens fp16 to fp32 at load and computes in fp32 (engine/README.md), and agree with
// onnxruntime-web to fp16 precision. The option-A ResNet-20 exercises Slice/Pad with fp16 constants too.
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { createBackendRegistry } from '../../../packages/core/src/backends/backend-registry.js';
import { createWasmBackend } from '../../../packages/core/src/backends/wasm/wasm-backend.js';
import { DataType, decodeModel } from '../../../packages/core/src/onnx/index.js';
import { randomInputs } from '../../../packages/core/src/testing/quantizer-helpers.js';
import { hasOrtQuantizer, hasTorch, optionAResNet20Fp16 } from './model-cache.js';

ort.env.wasm.numThreads = 1;

/** IEEE half bits of an f32 value (round to nearest even; finite inputs). */
function toHalf(v: number): number {
  const f = new Float32Array([v]), u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000, exp = ((u >>> 23) & 0xff) - 127 + 15, mant = u & 0x7fffff;
  if (exp <= 0) {
    const m = (mant | 0x800000) >>> (1 - exp), half = m >>> 13, rest = m & 0x1fff;
    return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
  }
  const half = (exp << 10) | (mant >>> 13), rest = mant & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

function fromHalf(h: number): number {
  const e = (h >> 10) & 0x1f, m = h & 0x3ff, s = h & 0x8000 ? -1 : 1;
  return e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
}

describe.skipIf(!hasTorch || !hasOrtQuantizer)('fp16 ONNX models on the own engine', () => {
  for (const io of ['fp32', 'fp16'] as const) {
    it(`${io === 'fp32' ? 'fp32 I/O with Cast nodes' : 'fp16 inputs and outputs'}: runs on wasm, logits within fp16 precision of onnxruntime-web`, async () => {
      const model = optionAResNet20Fp16({ size: 32, io });
      const g = decodeModel(model).graph!;
      expect(g.initializer.some((t) => t.dataType === DataType.FLOAT16)).toBe(true);
      expect(g.input[0].type?.tensorType?.elemType).toBe(io === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT);
      const registry = createBackendRegistry();
      registry.register(createWasmBackend());
      const manifest = { input: { name: 'input', shape: [1, 3, 32, 32] } } as never;
      const session = await registry.createSession({ backend: 'auto', manifest, modelBytes: model });
      expect(session.backend).toBe('wasm');
      const oracle = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], logSeverityLevel: 3 });
      for (const x of randomInputs(3, [1, 3, 32, 32], 17)) {
        // Inputs representable in fp16, so both runtimes see the same values.
        const bits = Uint16Array.from(x.data, toHalf), data = Float32Array.from(bits, fromHalf);
        const got = (await session.run({ input: { data, dims: x.dims } })).logits.data;
        const feed = io === 'fp16' ? new ort.Tensor('float16', bits, [...x.dims]) : new ort.Tensor('float32', data, [...x.dims]);
        const out = (await oracle.run({ input: feed })).logits;
        const want = io === 'fp16' ? Array.from(out.data as Uint16Array, fromHalf) : Array.from(out.data as Float32Array);
        const range = Math.max(...want) - Math.min(...want);
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(2e-3 * range + 1e-3);
      }
      await session.dispose();
    });
  }
});
