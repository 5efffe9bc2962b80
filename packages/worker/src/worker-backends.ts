/**
 * The inference backends the Worker loads models with: the project's own int8 wasm engine (`wasm`, tried first
 * under `auto`) and onnxruntime-web's wasm build (`ort-wasm`, the fallback for graphs the own engine cannot run).
 */
import { createBackendRegistry, createOrtBackend, createWasmBackend, type BackendRegistry, type OrtModule } from '@resnet-edge/core';

/** Options of {@link createWorkerBackends}. */
export interface WorkerBackendsOptions {
  /** Precompiled own-engine module (required in workerd, which cannot compile wasm bytes); Node compiles the embedded build. */
  engineModule?: WebAssembly.Module;
  /** How to get onnxruntime-web (workerd passes the shimmed build); default: core's dynamic import. `false`: no ORT (lite build). */
  ort?: (() => Promise<OrtModule>) | false;
}

/**
 * Builds the backend registry used by the Worker (and by the Node tests, without precompiled modules).
 *
 * @example
 * ```ts
 * const backends = createWorkerBackends({ engineModule, ort: () => loadOrtForWorkerd({ module: ortWasm }) });
 * const app = createApp({ registry: backends });
 * ```
 */
export function createWorkerBackends(options: WorkerBackendsOptions = {}): BackendRegistry {
  const registry = createBackendRegistry();
  if (options.ort !== false) registry.register(createOrtBackend({ device: 'wasm', numThreads: 1, ...(options.ort ? { ort: options.ort } : {}) }));
  registry.register(createWasmBackend(options.engineModule ? { module: options.engineModule } : {}));
  return registry;
}
