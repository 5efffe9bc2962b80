/** Shared checks for the quantizer's tests (not part of the public API). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { DataType, decodeModel, type OnnxModel } from '../onnx/index.js';
import type { Tensor } from '../tensor.js';

/** Seeded standard-normal tensors [1, c, h, w]. */
export function randomInputs(count: number, dims: [number, number, number, number], seed: number): Tensor[] {
  let s = seed >>> 0;
  const u = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const n = dims.reduce((a, b) => a * b, 1);
  return Array.from({ length: count }, () => ({
    data: Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())),
    dims,
  }));
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return d / Math.sqrt(na * nb);
}

export function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

/** Runs fp32 and int8 models (onnxruntime-web, wasm, 1 thread) and compares logits. */
export interface Comparison {
  minCosine: number;
  meanCosine: number;
  /** Share of inputs whose int8 argmax equals the fp32 argmax. */
  top1Agreement: number;
  /** Share of inputs whose fp32 argmax is in the int8 top 5. */
  top1InTop5: number;
  /** Inputs where the fp32 top-1 leads the runner-up by more than `margin`, and how many of them agree. */
  decisive: { count: number; agree: number; margin: number };
  maxAbsDiff: number;
}

function top5(a: Float32Array): number[] {
  return Array.from(a.keys()).sort((i, j) => a[j] - a[i]).slice(0, 5);
}

export async function compareModels(fp32: Uint8Array, int8: Uint8Array, inputs: Tensor[], margin = 0.05): Promise<Comparison> {
  ort.env.wasm.numThreads = 1;
  const a = await ort.InferenceSession.create(fp32);
  const b = await ort.InferenceSession.create(int8);
  let minCosine = 1;
  let sumCos = 0;
  let agree = 0;
  let maxAbsDiff = 0;
  let inTop5 = 0;
  const decisive = { count: 0, agree: 0, margin };
  for (const x of inputs) {
    const feed = { [a.inputNames[0]]: new ort.Tensor('float32', x.data, [...x.dims]) };
    const ya = (await a.run(feed))[a.outputNames[0]].data as Float32Array;
    const yb = (await b.run(feed))[b.outputNames[0]].data as Float32Array;
    const c = cosine(ya, yb);
    minCosine = Math.min(minCosine, c);
    sumCos += c;
    if (argmax(ya) === argmax(yb)) agree++;
    if (top5(yb).includes(argmax(ya))) inTop5++;
    const [t1, t2] = top5(ya);
    if (ya[t1] - ya[t2] > margin) {
      decisive.count++;
      if (argmax(yb) === t1) decisive.agree++;
    }
    for (let i = 0; i < ya.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(ya[i] - yb[i]));
  }
  await a.release();
  await b.release();
  const n = inputs.length;
  return { minCosine, meanCosine: sumCos / n, top1Agreement: agree / n, top1InTop5: inTop5 / n, decisive, maxAbsDiff };
}

/** Problems with the QDQ structure around each Conv (empty when every Conv is wrapped as onnxruntime expects). */
export function qdqProblemsAroundConvs(m: OnnxModel): string[] {
  const g = m.graph!;
  const prod = new Map(g.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const n of g.node.filter((x) => x.opType === 'Conv')) {
    const dq = n.input.map((i) => prod.get(i));
    if (dq[0]?.opType !== 'DequantizeLinear' || prod.get(dq[0].input[0])?.opType !== 'QuantizeLinear') problems.push(`${n.name}: input not Q->DQ`);
    if (dq[1]?.opType !== 'DequantizeLinear' || inits.get(dq[1].input[0])?.dataType !== DataType.INT8) problems.push(`${n.name}: weight not int8 DQ`);
    if (n.input[2] && (dq[2]?.opType !== 'DequantizeLinear' || inits.get(dq[2].input[0])?.dataType !== DataType.INT32)) problems.push(`${n.name}: bias not int32 DQ`);
    const readers = g.node.filter((x) => x.input.includes(n.output[0]));
    if (readers.length !== 1 || readers[0].opType !== 'QuantizeLinear') problems.push(`${n.name}: output not read by exactly one QuantizeLinear`);
  }
  return problems;
}

/** Op counts of the graph onnxruntime (node binding, CPU EP) actually executes after its QDQ fusions. */
export async function optimizedOpCounts(model: Uint8Array): Promise<Record<string, number>> {
  const ortNode = await import('onnxruntime-node');
  const dir = mkdtempSync(join(tmpdir(), 're-q-'));
  try {
    const path = join(dir, 'opt.onnx');
    const s = await ortNode.InferenceSession.create(model, { graphOptimizationLevel: 'extended', optimizedModelFilePath: path });
    await s.release();
    const counts: Record<string, number> = {};
    for (const n of decodeModel(new Uint8Array(readFileSync(path))).graph!.node) counts[n.opType!] = (counts[n.opType!] ?? 0) + 1;
    return counts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Op counts of a model. */
export function opCounts(m: OnnxModel): Record<string, number> {
  const c: Record<string, number> = {};
  for (const n of m.graph!.node) c[n.opType!] = (c[n.opType!] ?? 0) + 1;
  return c;
}
