// Winograd F(2x2, 3x3): the TS Winograd reference equals the direct reference on every 3x3 stride-1 case of the
// shared case table; the wasm engine runs exactly the cases marked `winograd` that way (and the rest direct), with
// results equal to the direct reference, Winograd on and off, on every engine build.
import { describe, expect, it } from 'vitest';
import { runQ8Op, testEngines } from '../../../testing/q8-test-harness.js';
import { instantiateEngine } from '../../wasm/engine.js';
import { CONV_CASES, makeConvCase } from './cases.js';
import { packShape } from './pack.js';
import { convQ8Ref } from './reference.js';
import { WINO_LIMIT, winogradBound, winogradRef, winogradShape } from './winograd.js';

const WINO = CONV_CASES.filter((c) => c.winograd !== undefined);

describe('Winograd F(2x2, 3x3)', async () => {
  it('the case table has Winograd cases, one of them a fallback', () => {
    expect(WINO.length).toBeGreaterThan(6);
    expect(WINO.some((c) => c.winograd === false)).toBe(true);
  });

  for (const c of WINO) {
    it(`TS reference = direct reference, bound as marked: ${c.name}`, () => {
      const { op, inShape, outShape, x } = makeConvCase(c);
      expect(winogradShape(op, { id: 0, name: 'x', dtype: 'q8', shape: inShape })).toBe(true);
      expect(winogradBound(op) < WINO_LIMIT).toBe(c.winograd);
      expect(Array.from(winogradRef({ op, x, inShape, outShape }))).toEqual(Array.from(convQ8Ref({ op, x, inShape, outShape })));
    });
  }

  for (const { name, engine } of await testEngines()) {
    it(`${name}: every conv case runs the expected variant`, async () => {
      const e = await engine();
      for (const c of CONV_CASES) {
        const { op, inShape, outShape, x } = makeConvCase(c);
        const { exec } = runQ8Op({ engine: e, op, shapes: [inShape, outShape], inputs: { 0: x }, f32Outputs: c.f32 ? [1] : [] });
        // Only convs packed for the SIMD128 kernel (mode 0) take Winograd; a relaxed build packs a conv for mode 0
        // too when its weights hold -128 (modes 1 and 2 cannot represent it), so ask the packer, not the build.
        const want = c.winograd && packShape(op, e.relaxedMode).mode === 0 ? 'winograd' : undefined;
        expect(exec.variants()[0], c.name).toBe(want);
      }
    });
  }

  it('Winograd switched off: the same cases run direct, with the same results', async () => {
    const off = await instantiateEngine({ relaxedSimd: false, winograd: false });
    const on = await instantiateEngine({ relaxedSimd: false });
    for (const c of WINO) {
      const { op, inShape, outShape, x } = makeConvCase(c);
      const a = runQ8Op({ engine: off, op, shapes: [inShape, outShape], inputs: { 0: x } });
      const b = runQ8Op({ engine: on, op, shapes: [inShape, outShape], inputs: { 0: x } });
      expect(a.exec.variants()[0]).toBeUndefined();
      expect(Array.from(b.outputs[1]), c.name).toEqual(Array.from(a.outputs[1]));
    }
  });
});
