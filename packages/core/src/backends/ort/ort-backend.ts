/**
 * onnxruntime-web as a backend: the generic fallback (any ONNX graph) and the oracle tests compare against.
 * Loaded with a dynamic import so apps that only use the own engines never download its 10+ MB wasm.
 */
import { BackendError, ModelLoadError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { probeWebGpu } from '../gpu-probe.js';
import type { Backend, BackendAvailability, InferenceSession, SessionOptions } from '../types.js';

/** The subset of the onnxruntime-web module this backend uses. */
export type OrtModule = typeof import('onnxruntime-web');

export interface OrtBackendOptions {
  /** `wasm` (SIMD, optionally threaded) or `webgpu` (ORT's JSEP WebGPU EP). */
  device: 'wasm' | 'webgpu';
  /** Supply the module yourself (e.g. a shimmed build inside Cloudflare Workers); defaults to a dynamic import. */
  ort?: OrtModule | (() => Promise<OrtModule>);
  /** WASM threads; 1 needs no SharedArrayBuffer. Default 1. */
  numThreads?: number;
  /** Priority in the registry (default: wasm 10, webgpu 20). */
  priority?: number;
}

const isNode = () => typeof process !== 'undefined' && !!process.versions?.node;

async function importOrt(device: 'wasm' | 'webgpu'): Promise<OrtModule> {
  // Node resolves the bare specifier to ORT's node build (wasm only); browsers get the JSEP bundle for WebGPU.
  if (device === 'webgpu' && !isNode()) return (await import('onnxruntime-web/webgpu')) as unknown as OrtModule;
  return import('onnxruntime-web');
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
  const getOrt = () => {
    ortPromise ??= (async () => {
      const o = options.ort;
      const ort = o === undefined ? await importOrt(device) : typeof o === 'function' ? await o() : o;
      ort.env.wasm.numThreads = sessionThreads ?? options.numThreads ?? 1;
      ort.env.logLevel = 'error';
      return ort;
    })();
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
      const ort = await getOrt();
      let session: Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;
      try {
        session = await ort.InferenceSession.create(opts.modelBytes, {
          executionProviders: [device],
          graphOptimizationLevel: 'all',
        });
      } catch (e) {
        const msg = (e as Error).message ?? String(e);
        if (/protobuf|parse|invalid model|load model/i.test(msg)) {
          throw new ModelLoadError('INVALID_MODEL', `onnxruntime could not load the model: ${msg}`, { cause: e });
        }
        throw new BackendError('BACKEND_UNAVAILABLE', `onnxruntime-web (${device}) could not create a session: ${msg}`, { cause: e });
      }
      return {
        backend: name,
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds: Record<string, Tensor>) {
          const ortFeeds: Record<string, InstanceType<OrtModule['Tensor']>> = {};
          for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', t.data as Float32Array, [...t.dims]);
          let out: Record<string, InstanceType<OrtModule['Tensor']>>;
          try {
            out = (await session.run(ortFeeds)) as typeof out;
          } catch (e) {
            throw new BackendError('INFERENCE_FAILED', `onnxruntime-web (${device}) failed: ${(e as Error).message}`, { cause: e });
          }
          const result: Record<string, Tensor> = {};
          for (const [k, t] of Object.entries(out)) {
            const data = t.type === 'float32' ? (t.data as Float32Array) : Float32Array.from(t.data as ArrayLike<number>);
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
