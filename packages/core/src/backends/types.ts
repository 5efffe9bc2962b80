/** The contract every inference backend (onnxruntime-web, own WASM, own WebGPU) implements. */
import type { ModelManifest } from '../package/manifest-types.js';
import type { OnnxModel } from '../onnx/index.js';
import type { Tensor } from '../tensor.js';
import type { OrtOptions } from './ort/ort-module.js';

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
