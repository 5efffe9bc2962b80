/**
 * Runs a {@link Plan} on the wasm engine. At construction: weights are packed into wasm memory once, activation
 * buffers get fixed offsets from a liveness plan, and each op becomes a closure over precomputed pointers.
 * int8 tensors live in wasm memory (NHWC, padded channels); f32 tensors are JS arrays run by the float kernels.
 */
import { BackendError } from '../../../errors.js';
import type { Plan, PlanConv, PlanOp, PlanReshape, PlanTensor } from '../../plan/types.js';
import { planArena, type ArenaRequest } from './arena.js';
import type { EngineInstance } from '../../wasm/engine.js';
import { qLayout, type QLayout } from '../../wasm/layout.js';
import { packShape } from '../../ops/conv/pack.js';
import { CALL, CALL_ARGC, CALL_CAPACITY, encodeCalls } from '../../wasm/thread-pool.js';
import { checkFeeds, dequantizeOnHost, runFloat, type HostTensor } from '../host-ops.js';
import { convQ8Ref } from '../../ops/conv/reference.js';
type Runner = (f32: Map<number, Float32Array>) => void;
type PackedPtrs = { mode: number; Kp: number; groups: { w: number; b: number; s: number }[] };

export class PlanExecutor {
  readonly layouts = new Map<number, QLayout>();
  readonly ptr = new Map<number, number>();
  private readonly runners: Runner[] = [];
  private readonly stagingPtr: number;
  private readonly f32Out = new Map<number, number>();
  private top: number;
  /** Bytes of wasm memory in use (weights + scratch + activation arena). */
  readonly peakBytes: number;
  /** When set (to an array), run() adds each op's wall time in ms at its index: for benchmarks. */
  profile?: number[];

  constructor(readonly plan: Plan, readonly engine: EngineInstance) {
    const ex = engine.exports;
    this.top = ex.heap_base();
    // 1) Static data: packed weights, biases, multipliers. Only sizes here; packing runs in wasm once memory is grown.
    const convs = new Map<PlanOp, { mode: number; Kp: number; groups: { w: number; b: number; s: number }[] }>();
    let scratch = 0;
    const toPack: { op: PlanConv; mode: 0 | 1 | 2; groups: { w: number; b: number; s: number }[] }[] = [];
    let maxGroupWeights = 0, maxOCg = 4;
    for (const op of plan.ops) {
      if (op.op !== 'conv' || op.weights16) continue;
      const { mode, Kp, blocks } = packShape(op, engine.relaxedMode);
      const groups = Array.from({ length: op.group }, () => ({ w: this.alloc(blocks * Kp * 8), b: this.alloc(blocks * 16), s: this.alloc(blocks * 16) }));
      toPack.push({ op, mode, groups });
      maxGroupWeights = Math.max(maxGroupWeights, op.weights.length / op.group);
      maxOCg = Math.max(maxOCg, op.OC / op.group);
      convs.set(op, { mode, Kp, groups });
      if (!isDirect(op, plan.tensors[op.input])) {
        const lo = qLayout(plan.tensors[op.output]);
        // Mode 0 rows are int16 (im2row16 + gemm mode 4).
        const rowBytes = Kp * (wideRows(mode, op.C / op.group) ? 2 : 1);
        scratch = Math.max(scratch, bandRows(lo.H, lo.W, rowBytes) * lo.W * rowBytes + 32);
      }
    }
    const staticTop = this.top;
    // f32 staging for QuantizeLinear inputs (copied in, quantized by the engine).
    let staging = 0;
    for (const op of plan.ops) if (op.op === 'quantize') staging = Math.max(staging, plan.tensors[op.input].shape.reduce((a, b) => a * b, 1) * 4);
    this.stagingPtr = this.alloc(staging);
    // One im2row scratch per thread.
    const scratchPtrs = Array.from({ length: (engine.pool?.helpers ?? 0) + 1 }, () => this.alloc(scratch));
    // Float outputs of int8 Gemm/MatMul heads.
    for (const op of plan.ops) {
      if (op.op === 'conv' && op.outputF32) this.f32Out.set(op.output, this.alloc(plan.tensors[op.output].shape.reduce((a, b) => a * b, 1) * 4 + 16));
    }
    // 2) Activation arena for int8 tensors.
    const requests: ArenaRequest[] = [];
    const first = new Map<number, number>();
    plan.ops.forEach((op, i) => (op.op === 'float' ? op.outputs : [op.output]).forEach((o) => first.set(o, i)));
    for (const t of plan.tensors) {
      if (t.dtype !== 'q8') continue;
      const l = qLayout(t);
      this.layouts.set(t.id, l);
      requests.push({ id: t.id, bytes: l.bytes + 16, first: first.get(t.id) ?? -1, last: plan.lastUse[t.id] });
    }
    const arena = planArena(requests);
    const arenaPtr = this.alloc(arena.size);
    for (const [id, off] of arena.offsets) this.ptr.set(id, arenaPtr + off);
    // Packing reads each group's int8 weights from a temporary copy above the static data (in the activation area,
    // unused until the first run), so peak memory only grows when one layer's weights outsize that area.
    const packTemp = (staticTop + 15) & ~15;
    const sumsPtr = (packTemp + maxGroupWeights + 15) & ~15;
    const need = Math.ceil(Math.max(this.top, sumsPtr + 8 * maxOCg + 32) / 65536) - engine.memory.buffer.byteLength / 65536;
    if (need > 0) {
      try {
        engine.memory.grow(need);
      } catch (e) {
        throw new BackendError('INFERENCE_FAILED', `Could not allocate ${this.top} bytes of wasm memory`, { cause: e });
      }
    }
    for (const p of toPack) this.pack(p.op, p.mode, p.groups, packTemp, sumsPtr);
    this.peakBytes = engine.memory.buffer.byteLength;
    for (const op of plan.ops) this.runners.push(this.runner(op, convs.get(op), scratchPtrs));
  }

  /** Packs one conv's weights with the engine's pack_weights and writes its folded bias and multipliers. */
  private pack(op: PlanConv, mode: 0 | 1 | 2, groups: { w: number; b: number; s: number }[], temp: number, sums: number): void {
    const ex = this.engine.exports, mem = this.engine.memory.buffer;
    const OCg = op.OC / op.group, K = op.weights.length / op.OC;
    const sumsN = sums + ((OCg * 4 + 15) & ~15);
    groups.forEach((g, gi) => {
      new Int8Array(mem, temp, OCg * K).set(op.weights.subarray(gi * OCg * K, (gi + 1) * OCg * K));
      ex.pack_weights(temp, OCg, K, mode, g.w, sums, sumsN);
      const sum = new Int32Array(mem, sums, OCg), sumN = new Int32Array(mem, sumsN, OCg);
      const padded = (OCg + 3) & ~3;
      const bias = new Int32Array(mem, g.b, padded), scale = new Float32Array(mem, g.s, padded);
      bias.fill(0);
      scale.fill(0);
      for (let o = 0; o < OCg; o++) {
        const oc = gi * OCg + o;
        bias[o] = op.bias[oc] - op.inZeroPoint * sum[o] + (mode ? sumN[o] : 0);
        scale[o] = op.multiplier[oc];
      }
    });
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
    } else for (const r of this.runners) r(f32);
    const out: Record<string, HostTensor> = {};
    for (const o of this.plan.outputs) {
      const t = this.plan.tensors[o.tensor];
      out[o.name] = { data: t.dtype === 'f32' ? f32.get(t.id)! : this.readQ8(t), dims: t.shape };
    }
    return out;
  }

  /** Writes logical NCHW uint8/int8 values into the NHWC int8 buffer. */
  writeQ8(t: PlanTensor, data: ArrayLike<number>): void {
    const l = this.layouts.get(t.id)!, base = this.ptr.get(t.id)!, heap = new Int8Array(this.engine.memory.buffer);
    const shift = t.srcType === 'uint8' ? -128 : 0, HW = l.H * l.W;
    for (let n = 0, i = 0; n < l.N; n++) for (let c = 0; c < l.C; c++) for (let p = 0; p < HW; p++, i++) {
      heap[base + (n * HW + p) * l.Cs + c] = data[i] + shift;
    }
  }

  readQ8(t: PlanTensor, raw = false): Uint8Array | Int8Array {
    const l = this.layouts.get(t.id)!, base = this.ptr.get(t.id)!, heap = new Int8Array(this.engine.memory.buffer);
    const u8 = !raw && t.srcType !== 'int8', HW = l.H * l.W;
    const out = u8 ? new Uint8Array(l.N * l.C * HW) : new Int8Array(l.N * l.C * HW);
    for (let n = 0, i = 0; n < l.N; n++) for (let c = 0; c < l.C; c++) for (let p = 0; p < HW; p++, i++) {
      const v = heap[base + (n * HW + p) * l.Cs + c];
      out[i] = u8 ? v + 128 : v;
    }
    return out;
  }

  private runner(op: PlanOp, conv: PackedPtrs | undefined, scratchPtrs: number[]): Runner {
    const scratch = scratchPtrs[0];
    const ex = this.engine.exports;
    const T = this.plan.tensors;
    switch (op.op) {
      case 'conv': {
        if (op.weights16) return (f32) => this.runWideConv(op, f32);
        const li = this.layouts.get(op.input)!, lo = this.layouts.get(op.output) ?? qLayout(T[op.output]);
        const src = this.ptr.get(op.input)!, dst = this.ptr.get(op.output) ?? 0;
        const { mode, Kp, groups } = conv!;
        const Cg = op.C / op.group, OCg = op.OC / op.group;
        if (isDirect(op, T[op.input])) {
          const g = groups[0];
          const P = li.N * li.H * li.W;
          if (op.outputF32) {
            const fOut = this.f32Out.get(op.output)!;
            return (f32) => {
              ex.gemm_q8(src, li.Cs, P, Kp / 16, g.w, op.OC, mode, g.b, g.s, 0, -128, 127, fOut, op.OC, 1);
              f32.set(op.output, new Float32Array(this.engine.memory.buffer, fOut, P * op.OC).slice());
            };
          }
          const pool = this.engine.pool;
          if (pool) {
            // Threads split the pixels (rows of the GEMM), in even counts for the kernel's 2-pixel register block.
            const chunk = Math.ceil(P / scratchPtrs.length / 2) * 2;
            const lists = scratchPtrs.map((_, t) => {
              const r0 = Math.min(P, t * chunk), rows = Math.min(P, r0 + chunk) - r0;
              return encodeCalls(rows ? [[CALL.gemm_q8, src + r0 * li.Cs, li.Cs, rows, Kp / 16, g.w, op.OC, mode, g.b, g.s, op.outZeroPoint, op.lo, op.hi, dst + r0 * lo.Cs, lo.Cs, 0]] : []);
            });
            return () => pool.run(lists, (l) => this.runCalls(l));
          }
          return () => ex.gemm_q8(src, li.Cs, P, Kp / 16, g.w, op.OC, mode, g.b, g.s, op.outZeroPoint, op.lo, op.hi, dst, lo.Cs, 0);
        }
        const [KH, KW] = op.kernel, P = lo.H * lo.W;
        // SIMD128 kernel: int16 rows, so the GEMM's row loads need no widening.
        const wide = wideRows(mode, Cg), im2row = wide ? ex.im2row16 : ex.im2row, gMode = wide ? 4 : mode, rs = wide ? Kp * 2 : Kp;
        const [sh, sw] = op.strides;
        const pool = this.engine.pool;
        if (pool) {
          // Threads take contiguous runs of bands (at least one per thread per image), each with its own scratch.
          const band = Math.min(bandRows(lo.H, lo.W, rs), Math.ceil(lo.H / scratchPtrs.length));
          const bands: [number, number, number][] = [];
          for (let n = 0; n < li.N; n++) for (let y = 0; y < lo.H; y += band) bands.push([n, y, Math.min(band, lo.H - y)]);
          const lists = scratchPtrs.map((scr, t) => {
            const mine = bands.slice(Math.round((t * bands.length) / scratchPtrs.length), Math.round(((t + 1) * bands.length) / scratchPtrs.length));
            return encodeCalls(mine.flatMap(([n, y, h]) => {
              const s = src + n * li.H * li.W * li.Cs, dy = dst + n * P * lo.Cs + y * lo.W * lo.Cs;
              return groups.flatMap((g, gi) => [
                [wide ? CALL.im2row16 : CALL.im2row, s, li.H, li.W, li.Cs, gi * Cg, Cg, KH, KW, sh, sw, op.pads[0] - y * sh, op.pads[1],
                  op.dilations[0], op.dilations[1], h, lo.W, op.inZeroPoint, scr, Kp],
                [CALL.gemm_q8, scr, rs, h * lo.W, Kp / 16, g.w, OCg, gMode, g.b, g.s, op.outZeroPoint, op.lo, op.hi, dy + gi * OCg, lo.Cs, 0],
              ]);
            }));
          });
          // Models with thousands of groups (depthwise) overflow a helper's mailbox: such convs stay on one thread.
          if (lists.every((l) => l.length <= CALL_CAPACITY)) return () => pool.run(lists, (l) => this.runCalls(l));
        }
        const band = bandRows(lo.H, lo.W, rs);
        return () => {
          for (let n = 0; n < li.N; n++) {
            const s = src + n * li.H * li.W * li.Cs, d = dst + n * P * lo.Cs;
            // Bands of output rows: im2row then GEMM per band, so the rows are still in L2 when the GEMM reads them.
            for (let y = 0; y < lo.H; y += band) {
              const h = Math.min(band, lo.H - y), dy = d + y * lo.W * lo.Cs;
              groups.forEach((g, gi) => {
                im2row(s, li.H, li.W, li.Cs, gi * Cg, Cg, KH, KW, sh, sw, op.pads[0] - y * sh, op.pads[1],
                  op.dilations[0], op.dilations[1], h, lo.W, op.inZeroPoint, scratch, Kp);
                ex.gemm_q8(scratch, rs, h * lo.W, Kp / 16, g.w, OCg, gMode, g.b, g.s, op.outZeroPoint, op.lo, op.hi, dy + gi * OCg, lo.Cs, 0);
              });
            }
          }
        };
      }
      case 'add': {
        const a = this.ptr.get(op.a)!, b = this.ptr.get(op.b)!, o = this.ptr.get(op.output)!, n = this.layouts.get(op.output)!.bytes;
        return () => ex.add_q8(a, b, o, n, op.ra, op.rb, op.za, op.zb, op.zc, op.lo, op.hi);
      }
      case 'maxpool':
      case 'avgpool': {
        const li = this.layouts.get(op.input)!, lo = this.layouts.get(op.output)!;
        const src = this.ptr.get(op.input)!, dst = this.ptr.get(op.output)!;
        const [sh, sw] = op.strides, [ph, pw] = op.pads;
        return () => {
          for (let n = 0; n < li.N; n++) {
            const s = src + n * li.H * li.W * li.Cs, d = dst + n * lo.H * lo.W * lo.Cs;
            if (op.op === 'maxpool') {
              ex.maxpool_q8(s, li.H, li.W, li.Cs, op.kernel[0], op.kernel[1], sh, sw, ph, pw, op.dilations[0], op.dilations[1], lo.H, lo.W, d);
            } else {
              ex.avgpool_q8(s, li.H, li.W, li.Cs, op.kernel[0], op.kernel[1], sh, sw, ph, pw, op.pads[2], op.pads[3], lo.H, lo.W, op.countIncludePad ? 1 : 0,
                op.inZeroPoint, op.scale, op.outZeroPoint, d);
            }
          }
        };
      }
      case 'gap': {
        const li = this.layouts.get(op.input)!, lo = this.layouts.get(op.output)!;
        const src = this.ptr.get(op.input)!, dst = this.ptr.get(op.output)!;
        return () => {
          for (let n = 0; n < li.N; n++) {
            ex.gap_q8(src + n * li.H * li.W * li.Cs, li.H * li.W, li.Cs, op.inZeroPoint, op.multiplier, op.outZeroPoint, dst + n * lo.Cs);
          }
        };
      }
      case 'concat': {
        const lo = this.layouts.get(op.output)!, dst = this.ptr.get(op.output)!;
        return () => {
          let off = 0;
          for (const id of op.inputs) {
            const l = this.layouts.get(id)!;
            ex.copy_channels(this.ptr.get(id)!, l.Cs, 0, dst, lo.Cs, off, l.N * l.H * l.W, l.C);
            off += l.C;
          }
        };
      }
      case 'quantize': {
        const l = this.layouts.get(op.output)!, dst = this.ptr.get(op.output)!;
        return (f32) => {
          const x = f32.get(op.input)!;
          new Float32Array(this.engine.memory.buffer, this.stagingPtr, x.length).set(x);
          ex.quantize_f32(this.stagingPtr, l.N, l.C, l.H * l.W, l.Cs, op.scale, op.zeroPoint, dst);
        };
      }
      case 'dequantize':
        return (f32) => f32.set(op.output, dequantizeOnHost(op, this.readQ8(T[op.input], true) as Int8Array));
      case 'reshape':
        return (f32) => this.runReshape(op, f32);
      case 'float':
        return (f32) => runFloat(T, op, f32);
    }
  }

  /** Runs an encoded call list on this thread (the calling thread's share of a threaded conv). */
  private runCalls(list: Int32Array): void {
    const ex = this.engine.exports;
    const fns = [ex.gemm_q8, ex.im2row, ex.im2row16] as ((...a: number[]) => void)[];
    for (let i = 0; i < list.length;) {
      const f = list[i], a = CALL_ARGC[f as 0 | 1 | 2];
      fns[f](...list.subarray(i + 1, i + 1 + a));
      i += 1 + a;
    }
  }

  /** Runs only the ops (int8 inputs already written by a previous run; f32 tensors given): for benchmarks. */
  runOpsOnly(f32 = new Map<number, Float32Array>()): void {
    for (const r of this.runners) r(f32);
  }

  /** Reshape keeps logical NCHW order; the NHWC buffers are re-laid out (a plain copy when no spatial dims). */
  private runReshape(op: PlanReshape, f32: Map<number, Float32Array>): void {
    const src = f32.get(op.input);
    if (src) {
      f32.set(op.output, src);
      return;
    }
    const li = this.layouts.get(op.input)!, lo = this.layouts.get(op.output)!;
    const heap = new Uint8Array(this.engine.memory.buffer), a = this.ptr.get(op.input)!, b = this.ptr.get(op.output)!;
    if (li.H * li.W === 1 && lo.H * lo.W === 1 && li.C === lo.C && li.Cs === lo.Cs) {
      heap.copyWithin(b, a, a + li.N * li.Cs);
      return;
    }
    const HWi = li.H * li.W, HWo = lo.H * lo.W, total = li.N * li.C * HWi;
    for (let i = 0; i < total; i++) {
      const ni = Math.floor(i / (li.C * HWi)), ci = Math.floor(i / HWi) % li.C, pi = i % HWi;
      const no = Math.floor(i / (lo.C * HWo)), co = Math.floor(i / HWo) % lo.C, po = i % HWo;
      heap[b + (no * HWo + po) * lo.Cs + co] = heap[a + (ni * HWi + pi) * li.Cs + ci];
    }
  }

  /** Conv whose weights need int16 (see PlanConv.weights16): exact reference kernel on the host. Rare; slow. */
  private runWideConv(op: PlanConv, f32: Map<number, Float32Array>): void {
    const inT = this.plan.tensors[op.input], outT = this.plan.tensors[op.output];
    const x = this.readQ8(inT, true) as Int8Array;
    const y = convQ8Ref({ op, x, inShape: inT.shape, outShape: outT.shape });
    if (y instanceof Float32Array) f32.set(op.output, y);
    else this.writeQ8({ ...outT, srcType: 'int8' }, y);
  }
}

/**
 * Whether im2row writes int16 rows (gemm mode 4, SIMD128 kernel only). Not for the stem's few channels: there
 * the doubled row bytes cost more than the widening saves (measured).
 */
function wideRows(mode: number, Cg: number): boolean {
  return mode === 0 && Cg >= 16;
}

/** Output rows per im2row band: about 192 KB of rows (fits L2 next to the weights). */
function bandRows(H: number, W: number, rowBytes: number): number {
  return Math.max(1, Math.min(H, Math.floor(196608 / (W * rowBytes))));
}

/** 1x1, stride 1, no padding, one group: the NHWC input already is the GEMM's row matrix. */
function isDirect(op: PlanConv, input: PlanTensor): boolean {
  return op.group === 1 && op.kernel[0] === 1 && op.kernel[1] === 1 && op.strides[0] === 1 && op.strides[1] === 1 &&
    op.pads.every((p) => p === 0) && input.dtype === 'q8';
}
