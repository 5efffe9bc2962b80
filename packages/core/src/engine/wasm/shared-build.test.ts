import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedMemoryBuild } from './shared-build.js';

const build = (f: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../wasm/build/${f}`, import.meta.url))));

describe('sharedMemoryBuild', () => {
  it("turns the SIMD128 build into asc's own shared-memory build, byte for byte", () => {
    expect(Buffer.from(sharedMemoryBuild(build('engine-simd.wasm'))).equals(Buffer.from(build('engine-simd-mt.wasm')))).toBe(true);
  });

  // Compiling the relaxed build needs relaxed SIMD (the relaxed vitest config runs Node with it).
  it.skipIf(!WebAssembly.validate(build('engine-relaxed.wasm')))('makes the relaxed build importable with a shared memory', async () => {
    const bytes = sharedMemoryBuild(build('engine-relaxed.wasm'));
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
  });

  it('refuses a module without a memory import', () => {
    expect(() => sharedMemoryBuild(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).toThrow(/imports no memory/);
  });
});
