/** Where the own WebGPU engine gets its GPU from; called lazily, never at import time. */
import { BackendError } from '../../errors.js';

/**
 * Resolves the WebGPU entry point: `navigator.gpu` in browsers, or one a caller installed on globalThis (Node + Dawn).
 *
 * @example
 * ```ts
 * const adapter = await getGpu()?.requestAdapter();
 * ```
 */
export function getGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu ?? (globalThis as { __resnetEdgeGpu?: GPU }).__resnetEdgeGpu;
}

/**
 * A device on the default adapter, or BACKEND_UNAVAILABLE when there is none.
 *
 * @example
 * ```ts
 * const device = await requestDevice();
 * ```
 */
export async function requestDevice(): Promise<GPUDevice> {
  const adapter = await getGpu()?.requestAdapter();
  if (!adapter) throw new BackendError('BACKEND_UNAVAILABLE', 'webgpu: no adapter');
  return adapter.requestDevice();
}
