/** The own int8 WebGPU engine as a {@link Backend} (`webgpu`): a thin adapter over the engine's {@link createWebGpuSession}. */
import { manifestInputShapes } from '../../package/manifest.js';
import { probeWebGpu } from '../gpu-probe.js';
import type { Backend, BackendAvailability, InferenceSession, SessionOptions } from '../types.js';

/**
 * The `webgpu` backend for the registry (own int8 WGSL kernels).
 *
 * @example
 * ```ts
 * registry.register(createWebGpuBackend());
 * ```
 */
export function createWebGpuBackend(options: { priority?: number; disablePackedDot?: boolean } = {}): Backend {
  return {
    name: 'webgpu',
    priority: options.priority ?? 40,
    async probe(): Promise<BackendAvailability> {
      const { adapter: _adapter, ...av } = await probeWebGpu();
      return av;
    },
    async createSession(opts: SessionOptions): Promise<InferenceSession> {
      const inputShapes = manifestInputShapes(opts.manifest);
      // On demand: pages where WebGPU is never picked (no adapter, or a software one) do not download its engine.
      const { createWebGpuSession } = await import('../../engine/session/webgpu-session.js');
      return createWebGpuSession({ model: opts.model ?? opts.modelBytes, inputShapes, disablePackedDot: options.disablePackedDot });
    },
  };
}
