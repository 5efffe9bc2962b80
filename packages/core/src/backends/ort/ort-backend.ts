/**
 * onnxruntime-web as a backend: the generic fallback (any ONNX graph) and the oracle tests compare against.
 * onnxruntime-web is an optional peer dependency, imported only when a session is created on this backend
 * (ort-module.ts), so apps that only use the own engines never download its 10+ MB wasm.
 */
import { BackendError, ModelLoadError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { probeWebGpu } from '../gpu-probe.js';
import type { Backend, BackendAvailability, InferenceSession, SessionOptions } from '../types.js';
import { ortSessionErrorCode, trimOrtMessage } from './ort-errors.js';
import { loadOrtModule, type OrtModule, type OrtOptions, type OrtSessionLike, type OrtTensorLike, type OrtWasmPaths } from './ort-module.js';

export type { OrtModule, OrtOptions, OrtWasmPaths } from './ort-module.js';

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
  let ortPromise: Promise<OrtModule> | undefined;
  // ORT reads env.wasm.numThreads once, when its wasm starts: the first session's load({ numThreads }) sets it.
  let sessionThreads: number | undefined;
  // One module per backend: the first session's `ort` options pick it (ORT's env is global and read once anyway).
  const getOrt = (perLoad: OrtOptions | undefined) => {
    ortPromise ??= (async () => {
      const module = options.ort ?? perLoad?.module;
      const wasmPaths = options.wasmPaths ?? perLoad?.wasmPaths;
      const ort = await loadOrtModule({ device, options: { ...(module ? { module } : {}), ...(wasmPaths !== undefined ? { wasmPaths } : {}) } });
      ort.env.wasm.numThreads = sessionThreads ?? options.numThreads ?? 1;
      ort.env.logLevel = 'error';
      return ort;
    })();
    // A failed import (package missing) may succeed later with other options: do not cache the failure.
    ortPromise.catch(() => (ortPromise = undefined));
    return ortPromise;
  };

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
      sessionThreads ??= opts.numThreads;
      const ort = await getOrt(opts.ort);
      let session: OrtSessionLike;
      try {
        session = await ort.InferenceSession.create(opts.modelBytes, {
          executionProviders: [device],
          graphOptimizationLevel: 'all',
        });
      } catch (e) {
        const msg = trimOrtMessage((e as Error).message ?? String(e));
        if (ortSessionErrorCode(msg) === 'INVALID_MODEL') {
          throw new ModelLoadError('INVALID_MODEL', `onnxruntime could not load the model: ${msg}`, { cause: e });
        }
        throw new BackendError('BACKEND_UNAVAILABLE', `onnxruntime-web (${device}) could not create a session: ${msg}`, { cause: e });
      }
      return {
        backend: name,
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds: Record<string, Tensor>) {
          const ortFeeds: Record<string, OrtTensorLike> = {};
          for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', t.data as Float32Array, [...t.dims]);
          let out: Record<string, OrtTensorLike>;
          try {
            out = await session.run(ortFeeds);
          } catch (e) {
            throw new BackendError('INFERENCE_FAILED', `onnxruntime-web (${device}) failed: ${trimOrtMessage((e as Error).message ?? String(e))}`, { cause: e });
          }
          const result: Record<string, Tensor> = {};
          for (const [k, t] of Object.entries(out)) {
            // int64 outputs (torchvision's labels) arrive as BigInt64Array, which Float32Array.from cannot take as is.
            const data = t.type === 'float32' ? (t.data as Float32Array) : Float32Array.from(t.data as ArrayLike<number | bigint>, Number);
            result[k] = { data, dims: t.dims };
          }
          return result;
        },
        async dispose() {
          await session.release();
        },
      };
    },
  };
}
