/**
 * A session on the own int8 WebAssembly engine: compiles the plan, instantiates the engine (optionally with helper
 * threads) and recompiles for new input shapes. Works in Node, browsers and Cloudflare Workers (pass `module`, a
 * precompiled WebAssembly.Module, there). The `wasm` backend (backends/wasm) is a thin adapter over this.
 */
import { BackendError, ResNetEdgeError } from '../../errors.js';
import { decodeModel, type OnnxModel } from '../../onnx/index.js';
import type { Tensor } from '../../tensor.js';
import { PlanExecutor } from '../exec/wasm/executor.js';
import type { HostTensor } from '../exec/host-ops.js';
import { compilePlan, type CompileOptions } from '../plan/compile-plan.js';
import type { Plan } from '../plan/types.js';
import { instantiateEngine, type EngineModuleOptions } from '../wasm/engine.js';
import type { RelaxedMode } from '../wasm/gemm-mode.js';

/** Options of {@link createWasmSession}. */
export interface WasmSessionOptions extends EngineModuleOptions {
  model: Uint8Array | OnnxModel;
  inputShapes?: Record<string, readonly number[]>;
  /** Graph inputs bound as constants (weights fed as inputs, as in the ONNX node tests). */
  constants?: CompileOptions['constants'];
}

/** A loaded model on the wasm engine (an InferenceSession of the `wasm` backend), with internals for tests and benchmarks. */
export interface WasmSession {
  readonly backend: 'wasm';
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph. Inputs are float32 NCHW; outputs are returned as float32. */
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  /** Stops the helper threads, if any; later runs throw DISPOSED. */
  dispose(): Promise<void>;
  readonly plan: Plan;
  /** The executor of the current plan (kernel variants, schedule segments: for tests and benchmarks). */
  readonly executor: PlanExecutor;
  /** Bytes of wasm linear memory held (weights + scratch + activation arena). */
  readonly peakMemoryBytes: number;
  /** True when the relaxed-SIMD build is running. */
  readonly relaxedSimd: boolean;
  /** Threads running conv layers (1 unless `threads` was asked for and this runtime can share wasm memory). */
  readonly threads: number;
  /** gemm mode in use: 0 SIMD128 kernel, 1 relaxed dot-add, 2 relaxed i16 dot, 3 relaxed usdot (see engine-select.ts). */
  readonly relaxedMode: RelaxedMode;
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
export async function createWasmSession(options: WasmSessionOptions): Promise<WasmSession> {
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
    get executor() { return exec; },
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
