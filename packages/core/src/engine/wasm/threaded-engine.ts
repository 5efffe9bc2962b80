/**
 * The threaded engine (shared memory, helper threads), loaded by engine.ts through import() only when a session asks
 * for more than one thread.
 */
import { BackendError } from '../../errors.js';
import type { EngineExports, EngineInstance, EngineModuleOptions } from './engine.js';
import { engineBuildBytes, relaxedSimdSupported } from './engine-builds.js';
import { pickRelaxedMode } from './engine-select.js';
import { SHARED_MAX_PAGES, sharedMemoryBuild } from './shared-build.js';
import { createThreadPool } from './thread-pool.js';

const cachedMt = new Map<boolean, WebAssembly.Module>();

/**
 * The engine build on a shared memory with `threads - 1` helper threads: the relaxed build where this runtime
 * validates it (and `relaxedSimd` is not false), else SIMD128, its memory import patched to shared (shared-build.ts).
 *
 * @example
 * ```ts
 * const { exports, memory, pool } = await instantiateThreaded(2, {}); // instantiateEngine({ threads: 2 }) calls this
 * ```
 */
export async function instantiateThreaded(threads: number, options: EngineModuleOptions): Promise<Omit<EngineInstance, 'winograd'>> {
  const relaxed = options.relaxedSimd ?? relaxedSimdSupported();
  let module = cachedMt.get(relaxed);
  if (!module) {
    module = await WebAssembly.compile(sharedMemoryBuild(await engineBuildBytes(relaxed ? 'relaxed' : 'simd')));
    cachedMt.set(relaxed, module);
  }
  // An imported shared memory must declare the same maximum as the module.
  const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true });
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, { env: { memory } });
  } catch (e) {
    throw new BackendError('BACKEND_UNAVAILABLE', 'Could not instantiate the threaded wasm engine', { cause: e });
  }
  const exports = instance.exports as unknown as EngineExports;
  // Helpers instantiate the same module, so the mode picked (and known-answer tested) here holds for them too.
  const relaxedMode = relaxed ? pickRelaxedMode(exports, memory, options.relaxedMode) : 0;
  const pool = await createThreadPool({ module, memory, helpers: Math.min(threads, 16) - 1 });
  return { exports, memory, relaxed, relaxedMode, pool };
}
