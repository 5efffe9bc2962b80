/** The SDK's default backend registry, created on first use (no probing at import time). */
import { createOrtBackend } from '../backends/ort/ort-backend.js';
import { createWasmBackend } from '../backends/wasm/wasm-backend.js';
import { createWebGpuBackend } from '../backends/webgpu/webgpu-backend.js';
import { createBackendRegistry, type BackendRegistry } from '../backends/backend-registry.js';

let registry: BackendRegistry | undefined;

/**
 * Returns the process-wide registry, creating it with the built-in backends on first call.
 * Priority: own WebGPU > own WASM > onnxruntime-web WebGPU > onnxruntime-web WASM.
 *
 * @example
 * ```ts
 * getDefaultRegistry().register(myBackend);
 * ```
 */
export function getDefaultRegistry(): BackendRegistry {
  if (!registry) {
    registry = createBackendRegistry();
    registry.register(createOrtBackend({ device: 'webgpu' }));
    registry.register(createOrtBackend({ device: 'wasm' }));
    registry.register(createWasmBackend());
    registry.register(createWebGpuBackend());
  }
  return registry;
}
