/**
 * The onnxruntime-web session glue of the ORT backend (ort-backend.ts), loaded when its first session is created:
 * the module import, ORT's global settings, tensor conversion and ORT's errors mapped to typed ones.
 */
import { BackendError, ModelLoadError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import type { InferenceSession, OrtModule, OrtOptions, SessionOptions } from '../types.js';
import type { OrtBackendOptions } from './ort-backend.js';
import { ortSessionErrorCode, trimOrtMessage } from './ort-errors.js';
import { loadOrtModule, type OrtSessionLike, type OrtTensorLike } from './ort-module.js';

/** What one ORT backend keeps between sessions. */
export interface OrtBackendState {
  options: OrtBackendOptions;
  name: 'ort-wasm' | 'ort-webgpu';
  /** One module per backend: the first session's `ort` options pick it (ORT's env is global and read once anyway). */
  ortPromise?: Promise<OrtModule>;
  /** ORT reads env.wasm.numThreads once, when its wasm starts: the first session's load({ numThreads }) sets it. */
  sessionThreads?: number;
}

function getOrt(state: OrtBackendState, perLoad: OrtOptions | undefined): Promise<OrtModule> {
  const { options } = state;
  state.ortPromise ??= (async () => {
    const module = options.ort ?? perLoad?.module;
    const wasmPaths = options.wasmPaths ?? perLoad?.wasmPaths;
    const ort = await loadOrtModule({ device: options.device, options: { ...(module ? { module } : {}), ...(wasmPaths !== undefined ? { wasmPaths } : {}) } });
    ort.env.wasm.numThreads = state.sessionThreads ?? options.numThreads ?? 1;
    ort.env.logLevel = 'error';
    return ort;
  })();
  // A failed import (package missing) may succeed later with other options: do not cache the failure.
  state.ortPromise.catch(() => (state.ortPromise = undefined));
  return state.ortPromise;
}

/**
 * Creates an onnxruntime-web session for `opts.modelBytes` on the backend's device.
 *
 * @example
 * ```ts
 * const session = await createOrtSession({ options: { device: 'wasm' }, name: 'ort-wasm' }, { manifest, modelBytes });
 * ```
 */
export async function createOrtSession(state: OrtBackendState, opts: SessionOptions): Promise<InferenceSession> {
  state.sessionThreads ??= opts.numThreads;
  const ort = await getOrt(state, opts.ort);
  let session: OrtSessionLike;
  try {
    session = await ort.InferenceSession.create(opts.modelBytes, {
      executionProviders: [state.options.device],
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    const msg = trimOrtMessage((e as Error).message ?? String(e));
    if (ortSessionErrorCode(msg) === 'INVALID_MODEL') {
      throw new ModelLoadError('INVALID_MODEL', `onnxruntime could not load the model: ${msg}`, { cause: e });
    }
    throw new BackendError('BACKEND_UNAVAILABLE', `onnxruntime-web (${state.options.device}) could not create a session: ${msg}`, { cause: e });
  }
  return {
    backend: state.name,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds: Record<string, Tensor>) {
      const ortFeeds: Record<string, OrtTensorLike> = {};
      for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', t.data as Float32Array, [...t.dims]);
      let out: Record<string, OrtTensorLike>;
      try {
        out = await session.run(ortFeeds);
      } catch (e) {
        throw new BackendError('INFERENCE_FAILED', `onnxruntime-web (${state.options.device}) failed: ${trimOrtMessage((e as Error).message ?? String(e))}`, { cause: e });
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
}
