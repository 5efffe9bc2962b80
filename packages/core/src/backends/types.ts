/** The contract every inference backend (onnxruntime-web, own WASM, own WebGPU) implements. */
import type { ModelManifest } from '../package/manifest-types.js';
import type { OnnxModel } from '../onnx/index.js';
import type { Tensor } from '../tensor.js';

/** Names a caller can ask for. `auto` walks the registry by priority. */
export type BackendName = 'auto' | 'wasm' | 'webgpu' | 'ort-wasm' | 'ort-webgpu';

/** What actually ran, as reported by `model.backend`. */
export type ResolvedBackend = Exclude<BackendName, 'auto'>;

export interface SessionOptions {
  manifest: ModelManifest;
  /** The ONNX model bytes (already integrity-checked). */
  modelBytes: Uint8Array;
  /** The same model already decoded by load() (treated as read-only), so own engines do not parse it twice. */
  model?: OnnxModel;
  /** Threads for WASM backends (1 = no SharedArrayBuffer needed). */
  numThreads?: number;
  /** How the onnxruntime-web backends get ORT (module, wasm location); ignored by the own engines. */
  ort?: OrtOptions;
}

/** A loaded model on one backend. */
export interface InferenceSession {
  readonly backend: ResolvedBackend;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph. Inputs are float32 NCHW; outputs are returned as float32. */
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  dispose(): Promise<void>;
}

/** Probe result: whether a backend can run here, and if a GPU backend, whether the adapter is software. */
export interface BackendAvailability {
  available: boolean;
  /** True for software adapters (SwiftShader); `auto` skips these. */
  fallbackAdapter?: boolean;
  reason?: string;
}

export interface Backend {
  readonly name: ResolvedBackend;
  /** Higher runs first under `auto`. */
  readonly priority: number;
  /** Checks the platform; called at most once per process (the registry caches it). Never at import time. */
  probe(): Promise<BackendAvailability>;
  createSession(options: SessionOptions): Promise<InferenceSession>;
}

// onnxruntime-web, an optional peer: structural types, so core's declarations compile without it installed.

/** One ORT tensor, as far as core reads it. */
export interface OrtTensorLike {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** An ORT inference session, as far as core uses it. */
export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

/** Where ORT finds its `.wasm`/`.mjs` files: a folder URL prefix, or one URL per file (as ORT's `env.wasm.wasmPaths`). */
export type OrtWasmPaths = string | { wasm?: string | { readonly href: string }; mjs?: string | { readonly href: string } };

/** The slice of the `onnxruntime-web` module core uses; `import * as ort from 'onnxruntime-web'` satisfies it. */
export interface OrtModule {
  env: {
    logLevel?: string;
    wasm: {
      numThreads?: number;
      wasmPaths?: OrtWasmPaths;
      wasmBinary?: ArrayBufferLike | Uint8Array;
      proxy?: boolean;
    };
  };
  InferenceSession: {
    create(model: Uint8Array, options?: { executionProviders?: string[]; graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all' }): Promise<OrtSessionLike>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensorLike;
}

/** How to get onnxruntime-web and where its wasm lives (`load({ ort })`, `createOrtBackend({ ort })`). */
export interface OrtOptions {
  /**
   * The module, or a function importing it. Default: `import('onnxruntime-web')` at run time, which works in Node
   * when the package is installed; browser bundles need `module: () => import('onnxruntime-web')` (bundlers only
   * pick up imports they can see).
   */
  module?: OrtModule | (() => Promise<OrtModule>);
  /** ORT's `env.wasm.wasmPaths`: where its `.wasm` files are served (e.g. a CDN folder). Applied before the first session. */
  wasmPaths?: OrtWasmPaths;
}
