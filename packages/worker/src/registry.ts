/**
 * The Worker's backend registry: the project's own int8 wasm engine (`wasm`, tried first under `auto`) and
 * onnxruntime-web's wasm build (`ort-wasm`, the fallback for graphs the own engine cannot run).
 */
import { createBackendRegistry, createOrtBackend, type BackendRegistry, type OrtModule } from '@resnet-edge/core';
// Not in core's public index yet; relative until it is exported.
import { createWasmBackend } from '../../core/src/backends/wasm/wasm-backend.js';

/** Options of {@link createWorkerRegistry}. */
export interface WorkerRegistryOptions {
  /** Precompiled own-engine module (required in workerd); Node/browsers compile the embedded build. */
  engineModule?: WebAssembly.Module;
  /** How to get onnxruntime-web (workerd passes the shimmed build); default: core's dynamic import. `false`: no ORT. */
  ort?: (() => Promise<OrtModule>) | false;
}

/**
 * Builds the registry used by the Worker (and by the Node tests, without precompiled modules).
 *
 * @example
 * ```ts
 * const registry = createWorkerRegistry({ engineModule, ort: () => loadOrtForWorkerd({ module: ortWasm }) });
 * ```
 */
export function createWorkerRegistry(options: WorkerRegistryOptions = {}): BackendRegistry {
  const registry = createBackendRegistry();
  if (options.ort !== false) registry.register(createOrtBackend({ device: 'wasm', numThreads: 1, ...(options.ort ? { ort: options.ort } : {}) }));
  registry.register(createWasmBackend(options.engineModule ? { module: options.engineModule } : {}));
  return registry;
}
