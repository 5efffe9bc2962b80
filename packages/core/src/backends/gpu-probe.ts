/** WebGPU adapter probing shared by the GPU backends; called lazily, never at import time. */
import type { BackendAvailability } from './types.js';

/** Resolves the WebGPU entry point: `navigator.gpu` in browsers, or one a caller installed on globalThis (Node + Dawn). */
export function getGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu ?? (globalThis as { __resnetEdgeGpu?: GPU }).__resnetEdgeGpu;
}

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
