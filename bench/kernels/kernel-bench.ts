/**
 * The kernel micro-benchmark shared by Node (`bench/kernels/node.ts`) and Chromium (`bench/kernels/browser.ts`):
 * every ResNet conv class and the ops between convs, on each engine variant, against the dot-loop peak. Convs report
 * GMAC/s of the direct conv's MAC count (so a Winograd layer shows its effective rate); other ops report GB/s of
 * bytes read and the share of a ResNet-50 run their time would take.
 */
import type { EngineInstance } from '../../packages/core/src/engine/wasm/engine.js';
import type { PlanAdd, PlanConv, PlanGlobalAvgPool, PlanOp, PlanPool, PlanRequant } from '../../packages/core/src/engine/plan/types.js';
import { runQ8Op } from '../../packages/core/src/testing/q8-test-harness.js';
import { randomInt8 } from '../../packages/core/src/testing/random.js';

/** One conv class: NCHW input C x H x H, OC outputs, k x k kernel, stride s, pad p. */
export interface ConvClass {
  name: string;
  C: number;
  H: number;
  OC: number;
  k: number;
  s: number;
  p: number;
  /** How many convs of this class ResNet-50 has (0: not in ResNet-50; the dot peak). */
  r50: number;
}

/** ResNet-50 (v1.5, 224x224) conv classes, the ResNet-18 3x3 classes, and the L1-resident dot-loop peak. */
export const CONV_CLASSES: readonly ConvClass[] = [
  { name: 'stem 7x7/2 3->64 @224', C: 3, H: 224, OC: 64, k: 7, s: 2, p: 3, r50: 1 },
  { name: '1x1 64->64 @56', C: 64, H: 56, OC: 64, k: 1, s: 1, p: 0, r50: 1 },
  { name: '1x1 64->256 @56', C: 64, H: 56, OC: 256, k: 1, s: 1, p: 0, r50: 4 },
  { name: '1x1 256->64 @56', C: 256, H: 56, OC: 64, k: 1, s: 1, p: 0, r50: 2 },
  { name: '1x1 128->512 @28', C: 128, H: 28, OC: 512, k: 1, s: 1, p: 0, r50: 4 },
  { name: '1x1 512->128 @28', C: 512, H: 28, OC: 128, k: 1, s: 1, p: 0, r50: 3 },
  { name: '1x1 1024->256 @14', C: 1024, H: 14, OC: 256, k: 1, s: 1, p: 0, r50: 5 },
  { name: '1x1 256->1024 @14', C: 256, H: 14, OC: 1024, k: 1, s: 1, p: 0, r50: 6 },
  { name: '1x1 512->2048 @7', C: 512, H: 7, OC: 2048, k: 1, s: 1, p: 0, r50: 3 },
  { name: '1x1/2 512->1024 @28', C: 512, H: 28, OC: 1024, k: 1, s: 2, p: 0, r50: 1 },
  { name: '3x3 64->64 @56', C: 64, H: 56, OC: 64, k: 3, s: 1, p: 1, r50: 3 },
  { name: '3x3 128->128 @28', C: 128, H: 28, OC: 128, k: 3, s: 1, p: 1, r50: 3 },
  { name: '3x3 256->256 @14', C: 256, H: 14, OC: 256, k: 3, s: 1, p: 1, r50: 5 },
  { name: '3x3 512->512 @7', C: 512, H: 7, OC: 512, k: 3, s: 1, p: 1, r50: 2 },
  { name: '3x3/2 128->128 @56', C: 128, H: 56, OC: 128, k: 3, s: 2, p: 1, r50: 1 },
  { name: 'dot peak (L1-resident)', C: 1024, H: 4, OC: 4, k: 1, s: 1, p: 0, r50: 0 },
];

/** Weights like a trained per-channel int8 layer: roughly normal, |w| mostly under 60, each channel reaching +-127. */
export function trainedLikeWeights(n: number, K: number, seed: number): Int8Array {
  const u = randomInt8(2 * n, seed);
  const w = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    // Sum of two uniforms: a triangle distribution, narrowed; the first weight of each channel is the extreme.
    const v = i % K === 0 ? ((i / K) & 1 ? 127 : -127) : Math.round((u[2 * i] + u[2 * i + 1]) / 6);
    w[i] = v;
  }
  return w;
}

/** The plan op, shapes, input and MAC count of a conv class. */
export function convClassOp(c: ConvClass): { op: PlanConv; shapes: number[][]; x: Int8Array; macs: number } {
  const OH = Math.floor((c.H + 2 * c.p - c.k) / c.s) + 1;
  const K = c.k * c.k * c.C;
  const op: PlanConv = {
    op: 'conv', name: c.name, input: 0, output: 1, C: c.C, OC: c.OC, group: 1, kernel: [c.k, c.k], strides: [c.s, c.s],
    pads: [c.p, c.p, c.p, c.p], dilations: [1, 1], weights: trainedLikeWeights(c.OC * K, K, 1), bias: new Int32Array(c.OC),
    multiplier: new Float32Array(c.OC).fill(1e-3), inZeroPoint: -128, outZeroPoint: -128, lo: -128, hi: 127,
  };
  return { op, shapes: [[1, c.C, c.H, c.H], [1, c.OC, OH, OH]], x: randomInt8(c.C * c.H * c.H, 2), macs: OH * OH * c.OC * K };
}

/** Ops between convs at ResNet-50 sizes: bytes read per run, and how many of each a ResNet-50 run has. */
export interface OtherClass {
  name: string;
  make(): { op: PlanOp; shapes: number[][]; inputs: Record<number, Int8Array>; f32Outputs?: number[] };
  bytes: number;
  r50: number;
}

const s56 = [1, 256, 56, 56];
export const OTHER_CLASSES: readonly OtherClass[] = [
  {
    name: 'add+relu 256x56x56', bytes: 2 * 256 * 56 * 56, r50: 3,
    make: () => ({
      op: { op: 'add', name: 'add', a: 0, b: 1, output: 2, sa: 0.05, sb: 0.07, sc: 0.1, za: 1, zb: -3, zc: -128, zr: 0, lo: -128, hi: 127 } satisfies PlanAdd,
      shapes: [s56, s56, s56], inputs: { 0: randomInt8(256 * 56 * 56, 1), 1: randomInt8(256 * 56 * 56, 2) },
    }),
  },
  {
    name: 'maxpool 3x3/2 64x112x112', bytes: 64 * 112 * 112, r50: 1,
    make: () => ({
      op: { op: 'maxpool', name: 'mp', input: 0, output: 1, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1], countIncludePad: false, inZeroPoint: 0, outZeroPoint: 0, scale: 1 } satisfies PlanPool,
      shapes: [[1, 64, 112, 112], [1, 64, 56, 56]], inputs: { 0: randomInt8(64 * 112 * 112, 3) },
    }),
  },
  {
    name: 'global avgpool 2048x7x7', bytes: 2048 * 49, r50: 1,
    make: () => ({
      op: { op: 'gap', name: 'gap', input: 0, output: 1, inZeroPoint: -128, multiplier: 0.02, outZeroPoint: -128 } satisfies PlanGlobalAvgPool,
      shapes: [[1, 2048, 7, 7], [1, 2048, 1, 1]], inputs: { 0: randomInt8(2048 * 49, 4) },
    }),
  },
  {
    name: 'requant 256x56x56', bytes: 256 * 56 * 56, r50: 0,
    make: () => ({
      op: { op: 'requant', name: 'rq', input: 0, output: 1, table: Int8Array.from({ length: 256 }, (_, i) => ((i * 7) % 256) - 128) } satisfies PlanRequant,
      shapes: [s56, s56], inputs: { 0: randomInt8(256 * 56 * 56, 5) },
    }),
  },
];

/**
 * Best wall time of `run` within `budgetMs` (the least disturbed timing on a shared machine). Each sample repeats the
 * run until it lasts >= 2 ms: browsers coarsen performance.now() (5 us even when cross-origin isolated).
 */
function bestMs(run: () => void, budgetMs: number): number {
  let reps = 1;
  for (let t = 0; t < 2; reps *= 2) {
    const a = performance.now();
    for (let i = 0; i < reps; i++) run();
    t = performance.now() - a;
    if (t >= 2) break;
  }
  let best = Infinity;
  const t0 = performance.now();
  let n = 0;
  while (n < 3 || performance.now() - t0 < budgetMs) {
    const a = performance.now();
    for (let i = 0; i < reps; i++) run();
    best = Math.min(best, (performance.now() - a) / reps);
    n++;
  }
  return best;
}

export interface KernelRow {
  kind: 'conv' | 'other';
  name: string;
  /** Per engine variant: GMAC/s (convs) or GB/s read (others). */
  rate: Record<string, number>;
  /** Per engine variant: best ms. */
  ms: Record<string, number>;
  r50: number;
  /** Convs: MACs of the direct conv. Others: bytes read. */
  work: number;
}

/** An engine variant to time: a name and a ready engine. */
export interface BenchEngine {
  name: string;
  engine: EngineInstance;
}

/**
 * Times every class on every engine, interleaved per class (engines alternate within one class's budget).
 *
 * @example
 * ```ts
 * const rows = runKernelBench({ engines: [{ name: 'simd128', engine }], budgetMs: 300 });
 * ```
 */
export function runKernelBench(o: { engines: BenchEngine[]; budgetMs: number; only?: string[]; log?: (s: string) => void }): KernelRow[] {
  const rows: KernelRow[] = [];
  const pick = <T extends { name: string }>(xs: readonly T[]) => (o.only ? xs.filter((x) => o.only!.some((s) => x.name.includes(s))) : xs);
  const time = (runs: { name: string; run: () => void }[]): Record<string, number> => {
    const best: Record<string, number> = {};
    // Three rounds of all engines, each a third of the budget, so a burst of load hits every engine alike.
    for (let r = 0; r < 3; r++) for (const x of runs) best[x.name] = Math.min(best[x.name] ?? Infinity, bestMs(x.run, o.budgetMs / 3));
    return best;
  };
  for (const c of pick(CONV_CLASSES)) {
    const { op, shapes, x, macs } = convClassOp(c);
    const runs = o.engines.map((e) => ({ name: e.name, run: runQ8Op({ engine: e.engine, op, shapes, inputs: { 0: x } }).run }));
    const ms = time(runs);
    const rate = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, macs / (v / 1000) / 1e9]));
    rows.push({ kind: 'conv', name: c.name, rate, ms, r50: c.r50, work: macs });
    o.log?.(`${c.name.padEnd(26)} ${Object.entries(rate).map(([k, v]) => `${k} ${v.toFixed(2)}`).join('  ')} GMAC/s`);
  }
  for (const c of pick(OTHER_CLASSES)) {
    const m = c.make();
    const runs = o.engines.map((e) => ({ name: e.name, run: runQ8Op({ engine: e.engine, ...m }).run }));
    const ms = time(runs);
    const rate = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, c.bytes / (v / 1000) / 1e9]));
    rows.push({ kind: 'other', name: c.name, rate, ms, r50: c.r50, work: c.bytes });
    o.log?.(`${c.name.padEnd(26)} ${Object.entries(rate).map(([k, v]) => `${k} ${v.toFixed(2)}`).join('  ')} GB/s`);
  }
  return rows;
}
