/**
 * A session on the own int8 WebGPU engine: the same plan as the wasm engine (compilePlan) run with WGSL kernels.
 * The `webgpu` backend (backends/webgpu) is a thin adapter over this. Device loss: the next run rebuilds on a new device; if that fails the session falls back to the wasm
 * engine and dispatches a `fallback` event (the session is an EventTarget).
 */
import { BackendError, ResNetEdgeError } from '../../errors.js';
import { decodeModel, type OnnxModel } from '../../onnx/index.js';
import type { Tensor } from '../../tensor.js';
import type { HostTensor } from '../exec/host-ops.js';
import { GpuPlanExecutor } from '../exec/webgpu/executor.js';
import { PipelineCache } from '../exec/webgpu/pipelines.js';
import { compilePlan } from '../plan/compile-plan.js';
import type { Plan } from '../plan/types.js';
import { getGpu, requestDevice } from '../webgpu/device.js';
import { hasPackedDot } from '../webgpu/wgsl-common.js';
import { createWasmSession, type WasmSession } from './wasm-session.js';

export interface WebGpuSessionOptions {
  model: Uint8Array | OnnxModel;
  inputShapes?: Record<string, readonly number[]>;
  /** Use the portable shader path even when dot4I8Packed is available (tests, benchmarks). */
  disablePackedDot?: boolean;
  /** Use this device instead of requesting one (it is not destroyed by dispose()). */
  device?: GPUDevice;
}

/** Session internals for tests and benchmarks. */
export interface WebGpuSession extends EventTarget {
  /** `webgpu`, or `wasm` after a device loss could not be recovered from. */
  readonly backend: 'webgpu' | 'wasm';
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph. Inputs are float32 NCHW; outputs are returned as float32. */
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  /** Releases the executors' GPU buffers (and the device when the session requested it). */
  dispose(): Promise<void>;
  readonly plan: Plan;
  /** The device in use (undefined after falling back to wasm). */
  readonly device: GPUDevice | undefined;
  /** Whether the kernels use dot4I8Packed. */
  readonly packedDot: boolean;
  /** Runs with raw typed inputs/outputs (uint8/int8 graph tensors keep their type). */
  runRaw(feeds: Record<string, HostTensor>): Promise<Record<string, HostTensor>>;
}

/**
 * Creates a WebGPU session directly (without the registry).
 *
 * @example
 * ```ts
 * const s = await createWebGpuSession({ model: bytes, inputShapes: { input: [8, 1, 28, 28] } });
 * s.addEventListener('fallback', () => console.warn('GPU lost, now on wasm'));
 * const { logits } = await s.runRaw({ input: { data, dims: [8, 1, 28, 28] } });
 * ```
 */
export async function createWebGpuSession(options: WebGpuSessionOptions): Promise<WebGpuSession> {
  const model = options.model instanceof Uint8Array ? decodeModel(options.model) : options.model;
  const packed = !options.disablePackedDot && hasPackedDot(getGpu());
  const ownDevice = !options.device;
  let device: GPUDevice | undefined = options.device ?? (await requestDevice());
  let pipes = new PipelineCache(device, packed);
  let plan = compilePlan({ model, inputShapes: options.inputShapes });
  const execs = new Map<string, GpuPlanExecutor>();
  const key = (p: Plan) => p.inputs.map((i) => p.tensors[i.tensor].shape.join('x')).join(',');
  execs.set(key(plan), await GpuPlanExecutor.create(device, plan, pipes));
  let lost = false, disposed = false, wasm: WasmSession | undefined;
  const events = new EventTarget();
  const watch = (d: GPUDevice) => void d.lost.then((info) => {
    if (d === device && !disposed) {
      lost = true;
      events.dispatchEvent(Object.assign(new Event('devicelost'), { reason: info.reason, message: info.message }));
    }
  });
  watch(device);
  const recover = async (): Promise<void> => {
    for (const e of execs.values()) e.destroy();
    execs.clear();
    try {
      device = await requestDevice();
      pipes = new PipelineCache(device, packed);
      execs.set(key(plan), await GpuPlanExecutor.create(device, plan, pipes));
      watch(device);
      lost = false;
      events.dispatchEvent(new Event('restored'));
    } catch (e) {
      device = undefined;
      wasm = await createWasmSession({ model, inputShapes: Object.fromEntries(plan.inputs.map((i) => [i.name, plan.tensors[i.tensor].shape])) });
      events.dispatchEvent(Object.assign(new Event('fallback'), { backend: 'wasm', reason: (e as Error).message }));
    }
  };
  let queue: Promise<unknown> = Promise.resolve();
  const runOnce = async (feeds: Record<string, HostTensor>): Promise<Record<string, HostTensor>> => {
    if (disposed) throw new ResNetEdgeError('DISPOSED', 'The session was disposed');
    if (lost) await recover();
    if (wasm) return wasm.runRaw(feeds);
    // Another batch / input size gets its own plan and executor (kept for reuse).
    const changed = plan.inputs.some((i) => feeds[i.name] && feeds[i.name].dims.join() !== plan.tensors[i.tensor].shape.join());
    if (changed) {
      const shapes: Record<string, readonly number[]> = {};
      for (const i of plan.inputs) if (feeds[i.name]) shapes[i.name] = feeds[i.name].dims;
      plan = compilePlan({ model, inputShapes: shapes });
    }
    let exec = execs.get(key(plan));
    if (!exec) execs.set(key(plan), (exec = await GpuPlanExecutor.create(device!, plan, pipes)));
    try {
      return await exec.run(feeds);
    } catch (e) {
      // A failed map/submit may precede the lost promise: give it a moment to settle.
      if (!lost && device) await Promise.race([device.lost, new Promise((r) => setTimeout(r, 100))]);
      if (lost) return runOnce(feeds);
      if (e instanceof ResNetEdgeError) throw e;
      throw new BackendError('INFERENCE_FAILED', `webgpu engine failed: ${(e as Error).message}`, { cause: e });
    }
  };
  const runRaw = (feeds: Record<string, HostTensor>) => {
    const r = queue.then(() => runOnce(feeds));
    queue = r.catch(() => undefined);
    return r;
  };
  // Getters must stay live (backend/device change on recovery), so they are defined, not copied.
  Object.defineProperties(events, {
    backend: { get: (): 'webgpu' | 'wasm' => (wasm ? 'wasm' : 'webgpu'), enumerable: true },
    plan: { get: () => plan, enumerable: true },
    device: { get: () => device, enumerable: true },
  });
  const session = Object.assign(events, {
    packedDot: packed,
    inputNames: plan.inputs.map((i) => i.name),
    outputNames: plan.outputs.map((o) => o.name),
    runRaw,
    async run(feeds: Record<string, Tensor>) {
      const raw = await runRaw(feeds as Record<string, HostTensor>);
      const out: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(raw)) out[k] = { data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data), dims: t.dims };
      return out;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await queue;
      for (const e of execs.values()) e.destroy();
      execs.clear();
      if (ownDevice) device?.destroy();
      await wasm?.dispose();
    },
  });
  return session as unknown as WebGpuSession;
}
