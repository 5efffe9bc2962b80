/**
 * The own int8 WebAssembly engine as a {@link Backend} (`wasm`): a thin adapter over the engine's
 * {@link createWasmSession}. Works in Node, browsers and Cloudflare Workers (pass `module` there).
 */
import { ResNetEdgeError } from '../../errors.js';
import { manifestInputShapes } from '../../package/manifest.js';
import { floatMacs } from '../../engine/plan/inspect.js';
import { createWasmSession } from '../../engine/session/wasm-session.js';
import { instantiateEngine, type EngineModuleOptions } from '../../engine/wasm/engine.js';
import type { Backend, BackendAvailability, InferenceSession, SessionOptions } from '../types.js';

export interface WasmBackendOptions extends EngineModuleOptions {
  /** Registry priority (default 30: above onnxruntime-web). */
  priority?: number;
  /**
   * Most float multiply-accumulates a model may leave to the scalar float kernels before the backend declines it
   * (UNSUPPORTED_OP, so `auto` moves on to onnxruntime). Default 5e7: fp32 ResNets decline, int8 ones with float
   * heads run. `Infinity` accepts everything.
   */
  maxFloatMacs?: number;
}

/**
 * The `wasm` backend for the registry.
 *
 * @example
 * ```ts
 * registry.register(createWasmBackend({}));
 * // Cloudflare Workers: import engine from '@resnet-edge/core/wasm/engine-simd.wasm'; createWasmBackend({ module: engine })
 * ```
 */
export function createWasmBackend(options: WasmBackendOptions = {}): Backend {
  return {
    name: 'wasm',
    priority: options.priority ?? 30,
    async probe(): Promise<BackendAvailability> {
      if (typeof WebAssembly === 'undefined') return { available: false, reason: 'WebAssembly is not available' };
      try {
        // Availability only: no helper threads for a probe (they would outlive it).
        await instantiateEngine({ ...options, threads: 1 });
        return { available: true };
      } catch (e) {
        return { available: false, reason: (e as Error).message };
      }
    },
    async createSession(opts: SessionOptions): Promise<InferenceSession> {
      const inputShapes = manifestInputShapes(opts.manifest);
      const session = await createWasmSession({ ...options, threads: opts.numThreads ?? options.threads, model: opts.model ?? opts.modelBytes, inputShapes });
      const macs = floatMacs(session.plan);
      if (macs > (options.maxFloatMacs ?? 5e7)) {
        await session.dispose(); // frees its helper threads, if any
        throw new ResNetEdgeError('UNSUPPORTED_OP', `The model leaves ${(macs / 1e6).toFixed(0)}M float MACs to the wasm engine's scalar float kernels; use an int8 model or onnxruntime`, {
          details: { floatMacs: macs, format: session.plan.format },
        });
      }
      return session;
    },
  };
}
