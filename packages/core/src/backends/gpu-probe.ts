/** WebGPU adapter probing shared by the GPU backends (own WebGPU, onnxruntime-web WebGPU); lazy, never at import time. */
import { getGpu } from '../engine/webgpu/device.js';
import type { BackendAvailability } from './types.js';

/**
 * Requests an adapter and reports whether it is a software (fallback) one such as SwiftShader.
 *
 * @example
 * ```ts
 * const { available, fallbackAdapter } = await probeWebGpu();
 * ```
 */
export async function probeWebGpu(): Promise<BackendAvailability & { adapter?: GPUAdapter }> {
  const gpu = getGpu();
  if (!gpu) return { available: false, reason: 'WebGPU is not available (no navigator.gpu)' };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { available: false, reason: 'no WebGPU adapter' };
  const info = (adapter as { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;
  const fallbackAdapter = Boolean(info?.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  return { available: true, fallbackAdapter, adapter };
}
