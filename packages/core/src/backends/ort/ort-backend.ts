/**
 * onnxruntime-web as a backend: the generic fallback (any ONNX graph) and the oracle tests compare against.
 * onnxruntime-web is an optional peer dependency, imported only when a session is created on this backend
 * (ort-module.ts), so apps that only use the own engines never download its 10+ MB wasm. The session glue
 * (ort-session.ts) is loaded then too: registering the backend costs an app only its name, priority and probe.
 */
import { probeWebGpu } from '../gpu-probe.js';
import type { Backend, BackendAvailability, InferenceSession, SessionOptions } from '../types.js';
import type { OrtModule, OrtWasmPaths } from '../types.js';
import type { OrtBackendState } from './ort-session.js';

export type { OrtModule, OrtOptions, OrtWasmPaths } from '../types.js';

export interface OrtBackendOptions {
  /** `wasm` (SIMD, optionally threaded) or `webgpu` (ORT's JSEP WebGPU EP). */
  device: 'wasm' | 'webgpu';
  /**
   * Supply the module yourself (a bundled `() => import('onnxruntime-web')`, or a shimmed build inside Cloudflare
   * Workers); defaults to `load({ ort })`'s module, else a run-time import of the installed package.
   */
  ort?: OrtModule | (() => Promise<OrtModule>);
  /** Where ORT's `.wasm` files are served (ORT's `env.wasm.wasmPaths`); `load({ ort: { wasmPaths } })` also sets it. */
  wasmPaths?: OrtWasmPaths;
  /** WASM threads; 1 needs no SharedArrayBuffer. Default 1. */
  numThreads?: number;
  /** Priority in the registry (default: wasm 10, webgpu 20). */
  priority?: number;
}

/**
 * Creates the onnxruntime-web backend for one device.
 *
 * @example
 * ```ts
 * registry.register(createOrtBackend({ device: 'wasm', numThreads: 1 }));
 * ```
 */
export function createOrtBackend(options: OrtBackendOptions): Backend {
  const { device } = options;
  const name = device === 'wasm' ? 'ort-wasm' : 'ort-webgpu';
  // Per backend: the module promise and the thread count its first session fixed (ort-session.ts).
  const state: OrtBackendState = { options, name };
  return {
    name,
    priority: options.priority ?? (device === 'wasm' ? 10 : 20),
    async probe(): Promise<BackendAvailability> {
      if (typeof WebAssembly === 'undefined') return { available: false, reason: 'WebAssembly is not available' };
      if (device === 'webgpu') {
        const gpu = await probeWebGpu();
        if (!gpu.available) return gpu;
        return { available: true, fallbackAdapter: gpu.fallbackAdapter };
      }
      return { available: true };
    },
    async createSession(opts: SessionOptions): Promise<InferenceSession> {
      const { createOrtSession } = await import('./ort-session.js');
      return createOrtSession(state, opts);
    },
  };
}
