/**
 * Runs a {@link Plan} on the wasm engine. At construction every op's kernel (engine/ops/op-registry.ts) reserves its
 * memory, the executor lays memory out once (static data, staging, per-thread scratch, then an activation arena
 * planned by liveness), kernels pack their weights, and each op becomes a closure over precomputed pointers.
 * int8 tensors live in wasm memory (NHWC, padded channels); f32 tensors are JS arrays. Ops without a wasm kernel
 * run their host kernel on NCHW copies of their int8 inputs. With helper threads, runs of ops made of engine calls
 * are batched into segments the helpers work through with a barrier between ops (schedule.ts).
 */
import { BackendError } from '../../../errors.js';
import { wasmKernelOf } from '../../ops/op-registry.js';
import { nchwToNhwc, nhwcToNchw } from '../../ops/shared/nhwc.js';
import { opInputs, opOutputs } from '../../plan/inspect.js';
import type { Plan, PlanOp, PlanTensor } from '../../plan/types.js';
import type { EngineInstance } from '../../wasm/engine.js';
import type { WasmMemoryPlan, WasmOpContext, WasmRunner } from '../../wasm/kernel-api.js';
import { qLayout, type QLayout } from '../../wasm/layout.js';
import { checkFeeds, runHostOp, type HostTensor, type HostValue } from '../host-ops.js';
import { planArena, type ArenaRequest } from './arena.js';
import { encodeSegment, planSegments } from './schedule.js';
import { runCalls } from '../../wasm/call-list.js';

export class PlanExecutor {
  private readonly layouts = new Map<number, QLayout>();
  private readonly ptr = new Map<number, number>();
  private readonly runners: WasmRunner[] = [];
  /** What run() calls in order: the runners, or with helper threads the schedule's segments and single ops. */
  private readonly schedule: WasmRunner[];
  private top: number;
  /** Bytes of wasm memory in use (weights + scratch + activation arena + the helpers' schedule). */
  readonly peakBytes: number;
  /** When set (to an array), run() adds each op's wall time in ms at its index: for benchmarks. */
  profile?: number[];

  constructor(readonly plan: Plan, readonly engine: EngineInstance) {
    this.top = engine.exports.heap_base();
    // 1) Kernels reserve static data (packed weights, biases, multipliers) and say what scratch they need.
    let scratch = 0, staging = 0, loadTemp = 0;
    const mem: WasmMemoryPlan = {
      engine, tensors: plan.tensors,
      alloc: (bytes) => this.alloc(bytes),
      scratch: (bytes) => void (scratch = Math.max(scratch, bytes)),
      staging: (bytes) => void (staging = Math.max(staging, bytes)),
      loadTemp: (bytes) => void (loadTemp = Math.max(loadTemp, bytes)),
    };
    const builders = plan.ops.map((op) => wasmKernelOf(op)?.(op as never, mem));
    const staticTop = this.top;
    const stagingPtr = this.alloc(staging);
    // One scratch per thread.
    const scratchPtrs = Array.from({ length: (engine.pool?.helpers ?? 0) + 1 }, () => this.alloc(scratch));
    // 2) Activation arena for int8 tensors.
    const requests: ArenaRequest[] = [];
    const first = new Map<number, number>();
    plan.ops.forEach((op, i) => opOutputs(op).forEach((o) => first.set(o, i)));
    for (const t of plan.tensors) {
      if (t.dtype !== 'q8') continue;
      const l = qLayout(t);
      this.layouts.set(t.id, l);
      requests.push({ id: t.id, bytes: l.bytes + 16, first: first.get(t.id) ?? -1, last: plan.lastUse[t.id] });
    }
    const arena = planArena(requests);
    const arenaPtr = this.alloc(arena.size);
    for (const [id, off] of arena.offsets) this.ptr.set(id, arenaPtr + off);
    // The load-time region sits above the static data, in the activation area (unused until the first run), so
    // peak memory only grows when one layer's packing needs more than that area.
    const loadTempPtr = (staticTop + 15) & ~15;
    const top = this.top;
    this.top = Math.max(this.top, loadTempPtr + loadTemp);
    this.grow();
    this.top = top;
    const ctx: WasmOpContext = {
      engine, tensors: plan.tensors, scratch: scratchPtrs, staging: stagingPtr, loadTemp: loadTempPtr,
      layout: (id) => this.layouts.get(id) ?? qLayout(plan.tensors[id]),
      ptr: (id) => this.ptr.get(id)!,
    };
    // 3) Kernels pack their weights (in op order) and build their runners.
    plan.ops.forEach((op, i) => this.runners.push(builders[i]?.(ctx) ?? this.hostRunner(op)));
    // 4) With helper threads: the schedule (segments of call-only ops, their helper lists in wasm memory).
    this.schedule = engine.pool ? this.buildSchedule() : this.runners;
    this.peakBytes = engine.memory.buffer.byteLength;
  }

  /** Segments of consecutive call-only ops (schedule.ts): helpers run each start to finish, one wake-up per run. */
  private buildSchedule(): WasmRunner[] {
    const pool = this.engine.pool!, ex = this.engine.exports;
    const groups = planSegments(this.runners);
    this.segments = groups.filter((g) => g.segment).map((g) => g.ops);
    const encoded = groups.map((g) => (g.segment ? encodeSegment(this.runners, g.ops, pool.helpers) : undefined));
    const ptrs = encoded.map((e) => e?.helperWords.map((w) => this.alloc(w.byteLength)));
    this.grow();
    const heap = new Int32Array(this.engine.memory.buffer);
    return groups.map((g, k) => {
      const e = encoded[k];
      if (!e) return this.runners[g.ops[0]];
      e.helperWords.forEach((w, h) => heap.set(w, ptrs[k]![h] >> 2));
      const segment = { helperPtrs: ptrs[k]!, steps: g.ops.length };
      const calls = g.ops.map((i) => this.runners[i].calls!);
      const local = (step: number) => {
        if (e.local[step].length) runCalls(ex, e.local[step]);
      };
      return (f32: Map<number, Float32Array>) => {
        for (const c of calls) c.pre?.(f32);
        pool.runSegment(segment, local);
        for (const c of calls) c.post?.(f32);
      };
    });
  }

  /** Grows wasm memory to cover everything allocated so far. */
  private grow(): void {
    const need = Math.ceil(this.top / 65536) - this.engine.memory.buffer.byteLength / 65536;
    if (need <= 0) return;
    try {
      this.engine.memory.grow(need);
    } catch (e) {
      throw new BackendError('INFERENCE_FAILED', `Could not allocate ${this.top} bytes of wasm memory`, { cause: e });
    }
  }

  private alloc(bytes: number): number {
    const at = (this.top + 15) & ~15;
    this.top = at + bytes;
    return at;
  }

  /** Runs the plan. Feeds by graph input name; q8 inputs are raw uint8/int8 values. */
  run(feeds: Record<string, HostTensor>): Record<string, HostTensor> {
    checkFeeds(this.plan, feeds);
    const f32 = new Map<number, Float32Array>();
    for (const inp of this.plan.inputs) {
      const t = this.plan.tensors[inp.tensor], feed = feeds[inp.name];
      if (t.dtype === 'f32') f32.set(t.id, feed.data instanceof Float32Array ? feed.data : Float32Array.from(feed.data));
      else this.writeQ8(t, feed.data);
    }
    const prof = this.profile;
    if (prof) {
      this.runners.forEach((r, i) => {
        const t0 = performance.now();
        r(f32);
        prof[i] = (prof[i] ?? 0) + performance.now() - t0;
      });
    } else for (const r of this.schedule) r(f32);
    const out: Record<string, HostTensor> = {};
    for (const o of this.plan.outputs) {
      const t = this.plan.tensors[o.tensor];
      const v = t.dtype === 'f32' ? f32.get(t.id)! : undefined;
      // Kernels may leave f32 values as views of wasm memory (reused next run): outputs get their own copy. A shared
      // memory's buffer object need not be identical from one access to the next, so any shared view is copied too.
      const inWasm = v && (v.buffer === this.engine.memory.buffer || (typeof SharedArrayBuffer !== 'undefined' && v.buffer instanceof SharedArrayBuffer));
      out[o.name] = { data: v ? (inWasm ? v.slice() : v) : this.readQ8(t), dims: t.shape };
    }
    return out;
  }

  /** Writes logical NCHW uint8/int8 values into the NHWC int8 buffer. */
  private writeQ8(t: PlanTensor, data: ArrayLike<number>): void {
    nchwToNhwc(this.layouts.get(t.id)!, data, new Int8Array(this.engine.memory.buffer), this.ptr.get(t.id)!, t.srcType === 'uint8' ? -128 : 0);
  }

  /** Reads an int8 tensor back in logical NCHW order: its graph type (uint8 shifted back), or `raw` int8. */
  private readQ8(t: PlanTensor, raw = false): Uint8Array | Int8Array {
    const l = this.layouts.get(t.id)!, heap = new Int8Array(this.engine.memory.buffer), n = l.N * l.C * l.H * l.W;
    return !raw && t.srcType !== 'int8' ? nhwcToNchw(l, heap, this.ptr.get(t.id)!, new Uint8Array(n), 128) : nhwcToNchw(l, heap, this.ptr.get(t.id)!, new Int8Array(n));
  }

  /** An op without a wasm kernel: its host kernel on NCHW copies of the int8 inputs; int8 outputs are written back. */
  private hostRunner(op: PlanOp): WasmRunner {
    const T = this.plan.tensors;
    const q8In = opInputs(op).filter((id) => T[id].dtype === 'q8'), q8Out = opOutputs(op).filter((id) => T[id].dtype === 'q8');
    return (f32) => {
      const values = f32 as Map<number, HostValue>;
      for (const id of q8In) values.set(id, this.readQ8(T[id], true) as Int8Array);
      runHostOp(T, op, values);
      for (const id of q8In) values.delete(id);
      for (const id of q8Out) {
        this.writeQ8({ ...T[id], srcType: 'int8' }, values.get(id)!);
        values.delete(id);
      }
    };
  }

  /** With helper threads: the op indices of each schedule segment (ops the helpers run without a round trip). */
  segments: number[][] = [];

  /** The kernel variant each op runs (WasmRunner.variant; undefined: the op's only kernel or its host kernel). */
  variants(): (string | undefined)[] {
    return this.runners.map((r) => r.variant);
  }

  /** Runs only the ops (int8 inputs already written by a previous run; f32 tensors given): for benchmarks. */
  runOpsOnly(f32 = new Map<number, Float32Array>()): void {
    for (const r of this.schedule) r(f32);
  }
}
