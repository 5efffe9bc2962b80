// Runs in the default tier (Node 20: no relaxed SIMD) and the relaxed tier (wasm/vitest.relaxed.config.ts), so the
// probe is checked against the relaxed build on both sides of the feature flag.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineBuildBytes, relaxedSimdSupported } from './engine-builds.js';

const build = (name: string) => new Uint8Array(readFileSync(new URL(`../../../wasm/build/engine-${name}.wasm`, import.meta.url)));

describe('engine builds', () => {
  it('the relaxed-SIMD probe agrees with validating the relaxed build itself', () => {
    expect(relaxedSimdSupported()).toBe(WebAssembly.validate(build('relaxed')));
    expect(WebAssembly.validate(build('simd'))).toBe(true);
  });

  it('the probe is well formed: with a SIMD128 op (v128.bitselect) in place of the relaxed dot it validates anywhere', () => {
    const simd128 = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b,
      0x03, 0x02, 0x01, 0x00, 0x0a, 0x0c, 0x01, 0x0a, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x52, 0x0b,
    ]);
    expect(WebAssembly.validate(simd128)).toBe(true);
  });

  it('each build module holds the bytes of its build', async () => {
    expect(await engineBuildBytes('simd')).toEqual(build('simd'));
    expect(await engineBuildBytes('relaxed')).toEqual(build('relaxed'));
  });
});
