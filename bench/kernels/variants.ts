/**
 * Engine variants the kernel bench times, by name: `simd128` (SIMD128 build: Winograd on 3x3 stride-1 convs),
 * `simd128-direct` (the same without Winograd), `relaxed` (relaxed build with its default kernel pick, reported as
 * `relaxed-m<mode>`: 3 = usdot where the runtime passes its test), `2t` (two threads).
 */
import { instantiateEngine, relaxedSimdSupported, type EngineInstance } from '../../packages/core/src/engine/wasm/engine.js';
import { threadsSupported } from '../../packages/core/src/engine/wasm/thread-pool.js';
import type { BenchEngine } from './kernel-bench.js';

/** Every variant this runtime has, each once. */
export async function benchEngines(names?: string[]): Promise<BenchEngine[]> {
  const all: { name: string; make: () => Promise<EngineInstance | undefined> }[] = [
    { name: 'simd128', make: () => instantiateEngine({ relaxedSimd: false }) },
    { name: 'simd128-direct', make: () => instantiateEngine({ relaxedSimd: false, winograd: false }) },
    {
      name: 'relaxed',
      make: async () => (relaxedSimdSupported() ? instantiateEngine({ relaxedSimd: true }) : undefined),
    },
    { name: '2t', make: async () => (threadsSupported() ? instantiateEngine({ threads: 2 }) : undefined) },
  ];
  const out: BenchEngine[] = [];
  for (const v of all) {
    if (names && !names.includes(v.name)) continue;
    const engine = await v.make();
    if (engine) out.push({ name: v.name === 'relaxed' ? `relaxed-m${engine.relaxedMode}` : v.name, engine });
  }
  return out;
}
