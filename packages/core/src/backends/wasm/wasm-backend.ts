/**
 * The own int8 WebAssembly engine as a {@link Backend} (`wasm`). Single-threaded; works in Node, browsers and
 * Cloudflare Workers (pass `module`, a precompiled WebAssembly.Module, there).
 */
import { BackendError, ResNetEdgeError } from '../../errors.js';
import { compilePlan, type CompileOptions } from '../../engine/plan/compile-plan.js';
import { decodeModel, type OnnxModel } from '../../onnx/index.js';
import type { Plan } from '../../engine/plan/types.js';
import { floatMacs } from '../../engine/plan/inspect.js';
import type { Tensor } from '../../tensor.js';
import type { Backend, BackendAvailability, InferenceSession, SessionOptions } from '../types.js';
import { instantiateEngine, type EngineModuleOptions } from '../../engine/exec/wasm/engine.js';
import { PlanExecutor, type HostTensor } from '../../engine/exec/wasm/executor.js';

export interface WasmBackendOptions extends EngineModuleOptions {
  /** Registry priority (default 30: above onnxruntime-web). */
  priority?: number;
  /**
   * Most float multiply-accumulates a model may leave to the scalar float kernels before the backend declines it
   * (UNSUPPORTED_OP, so `auto` moves on to onnxruntime). Default 5e7: fp32 ResNets decline, int8 ones with float
   * heads run. `Infinity` accepts everything.
   */
  maxFloatMacs?: number;
}

/** Session internals exposed for tests and benchmarks. */
export interface WasmSession extends InferenceSession {
  readonly plan: Plan;
  /** Bytes of wasm linear memory held (weights + scratch + activation arena). */
  readonly peakMemoryBytes: number;
  /** True when the relaxed-SIMD build is running. */
  readonly relaxedSimd: boolean;
  /** Threads running conv layers (1 unless `threads` was asked for and this runtime can share wasm memory). */
  readonly threads: number;
  /** gemm mode in use: 0 SIMD128 kernel, 1 relaxed dot-add, 2 relaxed i16 dot (see engine-select.ts). */
  readonly relaxedMode: 0 | 1 | 2;
  /** Per-op wall time (ms, summed over runs) when `enableProfile()` was called. */
  enableProfile(): number[];
  /** Runs with raw typed inputs/outputs (uint8/int8 graph tensors keep their type). */
  runRaw(feeds: Record<string, HostTensor>): Record<string, HostTensor>;
}

/**
 * Creates a session directly (without the registry).
 *
 * @example
 * ```ts
 * const s = await createWasmSession({ model: bytes, inputShapes: { input: [1, 1, 28, 28] } });
 * const { logits } = await s.run({ input: { data, dims: [1, 1, 28, 28] } });
 * ```
 */
export async function createWasmSession(options: EngineModuleOptions & {
  model: Uint8Array | OnnxModel;
  inputShapes?: Record<string, readonly number[]>;
  /** Graph inputs bound as constants (weights fed as inputs, as in the ONNX node tests). */
  constants?: CompileOptions['constants'];
}): Promise<WasmSession> {
  const model = options.model instanceof Uint8Array ? decodeModel(options.model) : options.model;
  const engine = await instantiateEngine(options);
  let plan = compilePlan({ model, inputShapes: options.inputShapes, constants: options.constants });
  let exec = new PlanExecutor(plan, engine);
  let disposed = false;
  const runRaw = (feeds: Record<string, HostTensor>): Record<string, HostTensor> => {
    if (disposed) throw new ResNetEdgeError('DISPOSED', 'The session was disposed');
    // A different batch/input size compiles a new plan (and re-plans memory) for that shape.
    const changed = plan.inputs.some((i) => feeds[i.name] && feeds[i.name].dims.join() !== plan.tensors[i.tensor].shape.join());
    if (changed) {
      const shapes: Record<string, readonly number[]> = {};
      for (const i of plan.inputs) if (feeds[i.name]) shapes[i.name] = feeds[i.name].dims;
      plan = compilePlan({ model, inputShapes: shapes, constants: options.constants });
      exec = new PlanExecutor(plan, engine);
    }
    try {
      return exec.run(feeds);
    } catch (e) {
      if (e instanceof ResNetEdgeError) throw e;
      throw new BackendError('INFERENCE_FAILED', `wasm engine failed: ${(e as Error).message}`, { cause: e });
    }
  };
  return {
    backend: 'wasm',
    get plan() { return plan; },
    get peakMemoryBytes() { return exec.peakBytes; },
    relaxedSimd: engine.relaxed,
    relaxedMode: engine.relaxedMode,
    threads: (engine.pool?.helpers ?? 0) + 1,
    inputNames: plan.inputs.map((i) => i.name),
    outputNames: plan.outputs.map((o) => o.name),
    runRaw,
    enableProfile() {
      exec.profile = [];
      return exec.profile;
    },
    async run(feeds: Record<string, Tensor>) {
      const raw = runRaw(feeds as Record<string, HostTensor>);
      const out: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(raw)) out[k] = { data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data), dims: t.dims };
      return out;
    },
    async dispose() {
      disposed = true;
      engine.pool?.terminate();
    },
  };
}

/**
 * The `wasm` backend for the registry.
 *
 * @example
 * ```ts
 * registry.register(createWasmBackend({}));
 * // Cloudflare Workers: import engine from '@resnet-edge/core/wasm/engine-simd.wasm'; createWasmBackend({ module: engine })
 * ```
 */
export function createWasmBackend(options: WasmBackendOptions = {}): Backend {
  return {
    name: 'wasm',
    priority: options.priority ?? 30,
    async probe(): Promise<BackendAvailability> {
      if (typeof WebAssembly === 'undefined') return { available: false, reason: 'WebAssembly is not available' };
      try {
        // Availability only: no helper threads for a probe (they would outlive it).
        await instantiateEngine({ ...options, threads: 1 });
        return { available: true };
      } catch (e) {
        return { available: false, reason: (e as Error).message };
      }
    },
    async createSession(opts: SessionOptions): Promise<InferenceSession> {
      const shape = opts.manifest?.input?.shape;
      const name = opts.manifest?.input?.name;
      const inputShapes = shape && name ? { [name]: shape.map((d) => (d > 0 ? d : 1)) } : undefined;
      const session = await createWasmSession({ ...options, threads: opts.numThreads ?? options.threads, model: opts.model ?? opts.modelBytes, inputShapes });
      const macs = floatMacs(session.plan);
      if (macs > (options.maxFloatMacs ?? 5e7)) {
        await session.dispose(); // frees its helper threads, if any
        throw new ResNetEdgeError('UNSUPPORTED_OP', `The model leaves ${(macs / 1e6).toFixed(0)}M float MACs to the wasm engine's scalar float kernels; use an int8 model or onnxruntime`, {
          details: { floatMacs: macs, format: session.plan.format },
        });
      }
      return session;
    },
  };
}
