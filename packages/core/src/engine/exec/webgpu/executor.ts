/**
 * Runs a {@link Plan} on WebGPU. Built once per model and input shape: pipelines, weight/param buffers, activation
 * buffers (reused by liveness) and bind groups. Each run: host pre-ops, one upload per int8 graph-boundary tensor,
 * one command encoder with every dispatch, one readback of all needed tensors into a single staging buffer.
 */
import { BackendError } from '../../../errors.js';
import { gpuKernelOf } from '../../ops/op-registry.js';
import type { Plan, PlanOp } from '../../plan/types.js';
import type { GpuOpContext, GpuStep } from '../../webgpu/kernel-api.js';
import { gpuQLayout, packNchw, unpackNhwc } from '../../webgpu/layout.js';
import { checkFeeds, runHostOp, runsOnHost, type HostTensor, type HostValue } from '../host-ops.js';
import type { PipelineCache } from './pipelines.js';
import { splitPlan, type GpuPlanSplit } from './split-plan.js';


const U = (globalThis as unknown as { GPUBufferUsage?: Record<string, number> }).GPUBufferUsage;
const usage = (name: string, fallback: number) => U?.[name] ?? fallback;
// Numeric values from the WebGPU spec (GPUBufferUsage), for hosts that do not expose the global.
const MAP_READ = usage('MAP_READ', 1), COPY_SRC = usage('COPY_SRC', 4), COPY_DST = usage('COPY_DST', 8);
const UNIFORM = usage('UNIFORM', 64), STORAGE = usage('STORAGE', 128);

export class GpuPlanExecutor {
  private readonly owned: GPUBuffer[] = [];
  private readonly steps: GpuStep[] = [];
  private readonly slots: GPUBuffer[] = [];
  private readonly split: GpuPlanSplit;
  private readonly staging: GPUBuffer | undefined;
  private readonly readAt = new Map<number, { offset: number; bytes: number }>();

  private constructor(readonly device: GPUDevice, readonly plan: Plan, private readonly pipes: PipelineCache) {
    this.split = splitPlan(plan);
    for (const bytes of this.split.slotBytes) this.slots.push(this.buffer(bytes, STORAGE | COPY_SRC | COPY_DST));
    const ctx: GpuOpContext = {
      tensors: plan.tensors,
      tensor: (id) => this.buf(id),
      upload: (data, kind) => this.buffer(data.byteLength, kind === 'uniform' ? UNIFORM : STORAGE, data),
      step: (shader, resources, dispatch) => this.step(shader, resources, dispatch),
    };
    for (const { op } of this.split.gpu) this.steps.push(...this.build(op, ctx));
    let total = 0;
    for (const id of this.split.readbacks) {
      const bytes = this.bytesOf(id);
      this.readAt.set(id, { offset: total, bytes });
      total += bytes;
    }
    if (total > 0) this.staging = this.buffer(total, MAP_READ | COPY_DST);
  }

  /**
   * Builds the executor; shader or validation errors surface here as a BackendError.
   *
   * @example
   * ```ts
   * const exec = await GpuPlanExecutor.create(device, plan, new PipelineCache(device, true));
   * ```
   */
  static async create(device: GPUDevice, plan: Plan, pipes: PipelineCache): Promise<GpuPlanExecutor> {
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    let exec: GpuPlanExecutor | undefined, thrown: unknown;
    try {
      exec = new GpuPlanExecutor(device, plan, pipes);
    } catch (e) {
      thrown = e;
    }
    const oom = await device.popErrorScope();
    const invalid = await device.popErrorScope();
    if (thrown || oom || invalid) {
      exec?.destroy();
      if (thrown instanceof BackendError) throw thrown;
      const msg = (thrown as Error)?.message ?? oom?.message ?? invalid?.message;
      throw new BackendError('INFERENCE_FAILED', `webgpu: could not build the model: ${msg}`, { cause: thrown ?? oom ?? invalid });
    }
    return exec!;
  }

  private buffer(bytes: number, use: number, data?: ArrayBufferView | ArrayBuffer): GPUBuffer {
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    const b = this.device.createBuffer({ size, usage: use | (data ? COPY_DST : 0) });
    if (data) this.device.queue.writeBuffer(b, 0, data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength));
    this.owned.push(b);
    return b;
  }

  private bytesOf(id: number): number {
    const t = this.plan.tensors[id];
    return t.dtype === 'f32' ? t.shape.reduce((a, b) => a * b, 1) * 4 : gpuQLayout(t.shape).bytes;
  }

  private buf(id: number): GPUBuffer {
    return this.slots[this.split.slotOf.get(id)!];
  }

  private step(shader: string, resources: GPUBuffer[], dispatch: [number, number]): GpuStep {
    const pipeline = this.pipes.get(shader);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: resources.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    return { pipeline, bindGroup, dispatch };
  }

  private build(op: PlanOp, ctx: GpuOpContext): GpuStep[] {
    const gpu = gpuKernelOf(op);
    if (!gpu) throw new BackendError('UNSUPPORTED_OP', `webgpu: op '${op.op}' cannot run on the GPU`);
    return gpu.build(op, ctx);
  }

  /** Runs the plan. Feeds by graph input name; q8 inputs are raw uint8/int8 values. */
  async run(feeds: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
    const T = this.plan.tensors;
    checkFeeds(this.plan, feeds);
    const host = new Map<number, HostValue>();
    for (const inp of this.plan.inputs) {
      const t = T[inp.tensor], feed = feeds[inp.name];
      if (t.dtype === 'f32') host.set(t.id, feed.data instanceof Float32Array ? feed.data : Float32Array.from(feed.data));
      else host.set(t.id, Int8Array.from(feed.data, (v) => (t.srcType === 'uint8' ? v - 128 : v)));
    }
    for (const op of this.split.pre) this.runOnHost(op, host);
    for (const id of this.split.uploads) {
      this.device.queue.writeBuffer(this.buf(id), 0, packNchw(gpuQLayout(T[id].shape), host.get(id)!));
    }
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (const s of this.steps) {
      pass.setPipeline(s.pipeline);
      pass.setBindGroup(0, s.bindGroup);
      pass.dispatchWorkgroups(s.dispatch[0], s.dispatch[1]);
    }
    pass.end();
    for (const [id, r] of this.readAt) enc.copyBufferToBuffer(this.buf(id), 0, this.staging!, r.offset, Math.ceil(r.bytes / 4) * 4);
    this.device.queue.submit([enc.finish()]);
    if (this.staging) {
      await this.staging.mapAsync(1 /* GPUMapMode.READ */);
      const bytes = new Uint8Array(this.staging.getMappedRange().slice(0));
      this.staging.unmap();
      for (const [id, r] of this.readAt) {
        const t = T[id], view = bytes.subarray(r.offset, r.offset + r.bytes);
        host.set(id, t.dtype === 'f32' ? new Float32Array(view.slice().buffer) : (unpackNhwc(gpuQLayout(t.shape), view, false) as Int8Array));
      }
    }
    for (const op of this.split.post) this.runOnHost(op, host);
    const out: Record<string, HostTensor> = {};
    for (const o of this.plan.outputs) {
      const t = T[o.tensor], v = host.get(o.tensor);
      if (!v) throw new BackendError('INTERNAL', `webgpu: output '${o.name}' was not produced`);
      out[o.name] = { data: t.dtype === 'q8' && t.srcType !== 'int8' ? Uint8Array.from(v, (x) => x + 128) : v, dims: t.shape };
    }
    return out;
  }

  /** Host-side ops: QuantizeLinear at the input, DequantizeLinear at the output, reshapes and float ops. */
  private runOnHost(op: PlanOp, host: Map<number, HostValue>): void {
    if (!runsOnHost(op)) throw new BackendError('UNSUPPORTED_OP', `webgpu: int8 op '${op.op}' after the GPU pass is not supported`);
    runHostOp(this.plan.tensors, op, host);
  }

  /** Releases every GPU buffer this executor created. */
  destroy(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}
