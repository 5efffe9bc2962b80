/**
 * Page entry of `bench/browser-cpu.ts` (bundled with esbuild, run in headless Chromium): own int8 wasm engine
 * (relaxed-SIMD build with the relaxed dot-add kernel, relaxedMode 1, and the SIMD128 build) vs onnxruntime-web wasm, one thread,
 * batch 1, same model bytes, interleaved timed runs in one page. onnxruntime-web is imported at run time from the
 * served dist (`/ort/ort.wasm.min.mjs`), not bundled. LiteRT.js runs the model's full-int8 TFLite twin in iframes
 * (bench/litert/page.ts), interleaved with the others.
 */
import { createWasmSession, type WasmSession } from '../packages/core/src/engine/session/wasm-session.js';
import { instantiateEngine, relaxedSimdSupported } from '../packages/core/src/engine/wasm/engine.js';
import { planMacs } from '../packages/core/src/engine/plan/inspect.js';
import { litertRunner, type LitertEngine, type LitertEngineInfo } from './litert/page.js';

type Ort = typeof import('onnxruntime-web');

/** Engine ids: own builds, onnxruntime-web, LiteRT.js at 1 and 2 threads, plus forced relaxed gemm modes for diagnosis (`--all-modes`). */
export type BrowserEngine = 'wasm-relaxed' | 'wasm-relaxed-2t' | 'wasm-simd128' | 'wasm-simd128-2t' | 'ort-wasm' | 'wasm-relaxed-mode0' | 'wasm-relaxed-mode1'
  | 'wasm-relaxed-mode2' | 'wasm-simd128-direct' | LitertEngine;

/** The LiteRT.js twin of a model (same weights, full-int8 TFLite, NHWC) and the inputs of its checks. */
export interface PageLitertCase {
  url: string;
  /** NCHW float32 photo crops (`photoCount` of them) for the top-1 agreement check. */
  photosUrl: string;
  photoCount: number;
  /** Logits of the .tflite on the bench input from TF's interpreter: reference kernels, and its XNNPACK delegate. */
  reference: { interpreter: number[]; xnnpack: number[] };
}

export interface PageLitertResult {
  engines: Partial<Record<LitertEngine, LitertEngineInfo & { logs: string[] }>>;
  /** Max |logit difference| of each LiteRT.js engine against TF's interpreter (reference kernels / XNNPACK delegate), same .tflite and input. */
  maxAbsDiffVsTflite: Partial<Record<LitertEngine, { interpreter: number; xnnpack: number }>>;
  /** Top-1 class per photo crop: own engine (wasm-simd128), onnxruntime-web, LiteRT.js (litert-1t). */
  top1: { own: number[]; ort: number[]; litert: number[] };
}

export interface PageInfo {
  userAgent: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** `WebAssembly.validate` of the relaxed-SIMD engine build. */
  relaxedBuildValidates: boolean;
  /** gemm mode `wasm-relaxed` runs (the relaxed build's default pick: 3, usdot, where its known-answer test passes, else 0); null without relaxed SIMD. */
  relaxedModePicked: 0 | 1 | 2 | 3 | null;
  ortVersion: string;
}

export interface PageModelResult {
  model: string;
  dims: number[];
  engines: BrowserEngine[];
  warmup: number;
  runs: number;
  /** Set when the run count was cut to fit the time budget. */
  runsRequested?: number;
  medianMs: Record<string, number>;
  minMs: Record<string, number>;
  timesMs: Record<string, number[]>;
  gmac: number;
  peakWasmMemoryBytes: number;
  /** Max |logit difference| of each engine against ort-wasm on the benchmark input (same model, sanity check). */
  maxAbsDiffVsOrt: Record<string, number>;
  litert?: PageLitertResult;
}

declare global {
  interface Window {
    benchCpuInfo(): Promise<PageInfo>;
    benchCpuModel(o: { model: string; url: string; dims: number[]; runs: number; warmup?: number; engines: BrowserEngine[]; budgetMs?: number; litert?: PageLitertCase }): Promise<PageModelResult>;
  }
}

let ortPromise: Promise<Ort> | undefined;
function loadOrt(): Promise<Ort> {
  ortPromise ??= (async () => {
    const url = `${location.origin}/ort/ort.wasm.min.mjs`;
    const ort = (await import(/* @vite-ignore */ url)) as Ort;
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmPaths = `${location.origin}/ort/`;
    return ort;
  })();
  return ortPromise;
}

/** Same deterministic input generator as bench/run.ts. */
function input(dims: number[]): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const log = (msg: string) => console.log(`[page] ${msg}`);

window.benchCpuInfo = async () => {
  const relaxedBuildValidates = relaxedSimdSupported();
  const relaxedModePicked = relaxedBuildValidates ? (await instantiateEngine({ relaxedSimd: true })).relaxedMode : null;
  const ort = await loadOrt();
  return {
    userAgent: navigator.userAgent,
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    relaxedBuildValidates,
    relaxedModePicked,
    ortVersion: ort.env.versions?.web ?? 'unknown',
  };
};

window.benchCpuModel = async ({ model, url, dims, runs, warmup = 3, engines, budgetMs = 150_000, litert }) => {
  const ort = await loadOrt();
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const data = input(dims);
  const runners: Partial<Record<BrowserEngine, () => Promise<Float32Array>>> = {};
  // One-off inference on another NCHW input (the photo agreement check).
  const infer: Partial<Record<BrowserEngine, (x: Float32Array) => Promise<Float32Array>>> = {};
  const litertInfo: PageLitertResult['engines'] = {};
  let own: WasmSession | undefined;
  for (const e of engines) {
    if (e === 'litert-1t' || e === 'litert-2t' || e === 'litert-simd128-1t') {
      if (!litert) throw new Error(`${model}: no LiteRT.js model for ${e}`);
      const r = await litertRunner({ engine: e, url: litert.url, key: model, input: data, dims });
      runners[e] = r.run;
      infer[e] = r.infer;
      litertInfo[e] = { ...r.info, logs: r.compiled.logs };
      log(`${model}: ${e} loaded ${r.info.wasmFile}; ${r.compiled.logs.filter((l) => /XNNPACK|delegate/i.test(l)).join(' | ')}`);
    } else if (e === 'ort-wasm') {
      const s = await ort.InferenceSession.create(bytes.slice(), { executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 });
      const feeds = { [s.inputNames[0]]: new ort.Tensor('float32', data, dims) };
      const out = s.outputNames[0];
      runners[e] = async () => (await s.run(feeds))[out].data as Float32Array;
      infer[e] = async (x) => (await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, dims) }))[out].data as Float32Array;
    } else {
      const relaxedSimd = e.startsWith('wasm-relaxed');
      const forced = /-mode(\d)$/.exec(e)?.[1];
      const relaxedMode = forced === undefined ? undefined : (Number(forced) as 0 | 1 | 2);
      const s = await createWasmSession({ model: bytes, relaxedSimd, relaxedMode, threads: e.endsWith('-2t') ? 2 : 1, winograd: e !== 'wasm-simd128-direct' });
      const feeds = { [s.inputNames[0]]: { data, dims } };
      const out = s.outputNames[0];
      runners[e] = async () => (await s.run(feeds))[out].data as Float32Array;
      infer[e] = async (x) => (await s.run({ [s.inputNames[0]]: { data: x, dims } }))[out].data as Float32Array;
      own ??= s;
    }
  }
  log(`${model}: sessions ready (${engines.join(', ')}), warm-up ${warmup}`);
  const last: Partial<Record<BrowserEngine, Float32Array>> = {};
  const warmMs: Record<string, number> = {};
  for (const e of engines) {
    for (let i = 0; i < warmup; i++) {
      const t0 = performance.now();
      last[e] = await runners[e]!();
      warmMs[e] = performance.now() - t0;
    }
  }
  const perRound = engines.reduce((a, e) => a + warmMs[e], 0);
  let n = runs;
  if (perRound * runs > budgetMs) n = Math.max(7, Math.floor(budgetMs / perRound) | 1);
  if (n < runs) log(`${model}: ~${round(perRound, 0)} ms per interleaved round: ${n} runs instead of ${runs} (time budget)`);
  const times: Record<string, number[]> = Object.fromEntries(engines.map((e) => [e, []]));
  for (let i = 0; i < n; i++) {
    // Interleaved A, B, C; the starting engine rotates so no engine always runs right after another.
    for (let j = 0; j < engines.length; j++) {
      const e = engines[(i + j) % engines.length];
      const t0 = performance.now();
      await runners[e]!();
      times[e].push(performance.now() - t0);
    }
    if ((i + 1) % 7 === 0 || i + 1 === n) log(`${model}: ${i + 1}/${n} ${engines.map((e) => `${e} ${round(median(times[e]), 2)} ms`).join(', ')}`);
  }
  const ref = last['ort-wasm'];
  const maxAbsDiffVsOrt: Record<string, number> = {};
  if (ref) {
    for (const e of engines) {
      if (e === 'ort-wasm') continue;
      const o = last[e]!;
      let d = o.length === ref.length ? 0 : Infinity;
      for (let i = 0; i < Math.min(o.length, ref.length); i++) d = Math.max(d, Math.abs(o[i] - ref[i]));
      maxAbsDiffVsOrt[e] = round(d, 5);
    }
  }
  return {
    ...(litert ? { litert: await litertChecks({ model, dims, litert, last, infer, engines: litertInfo }) } : {}),
    model,
    dims,
    engines,
    warmup,
    runs: n,
    ...(n < runs ? { runsRequested: runs } : {}),
    medianMs: Object.fromEntries(engines.map((e) => [e, round(median(times[e]))])),
    minMs: Object.fromEntries(engines.map((e) => [e, round(Math.min(...times[e]))])),
    timesMs: Object.fromEntries(engines.map((e) => [e, times[e].map((t) => round(t))])),
    gmac: own ? round(planMacs(own.plan) / 1e9, 3) : 0,
    peakWasmMemoryBytes: own?.peakMemoryBytes ?? 0,
    maxAbsDiffVsOrt,
  };
};

const argmax = (x: Float32Array) => x.reduce((best, v, i) => (v > x[best] ? i : best), 0);

/** LiteRT.js against TF's interpreter on the bench input, and top-1 of own / ORT / LiteRT.js int8 on the photo crops. */
async function litertChecks(o: {
  model: string;
  dims: number[];
  litert: PageLitertCase;
  last: Partial<Record<BrowserEngine, Float32Array>>;
  infer: Partial<Record<BrowserEngine, (x: Float32Array) => Promise<Float32Array>>>;
  engines: PageLitertResult['engines'];
}): Promise<PageLitertResult> {
  const maxAbsDiffVsTflite: PageLitertResult['maxAbsDiffVsTflite'] = {};
  const diff = (y: Float32Array, ref: number[]) => y.reduce((d, v, i) => Math.max(d, Math.abs(v - ref[i])), 0);
  for (const e of ['litert-1t', 'litert-2t', 'litert-simd128-1t'] as const) {
    const y = o.last[e];
    if (y) maxAbsDiffVsTflite[e] = { interpreter: round(diff(y, o.litert.reference.interpreter), 5), xnnpack: diff(y, o.litert.reference.xnnpack) };
  }
  const photos = new Float32Array(await (await fetch(o.litert.photosUrl)).arrayBuffer());
  const size = o.dims.reduce((a, b) => a * b, 1);
  const top1: PageLitertResult['top1'] = { own: [], ort: [], litert: [] };
  const pick = { own: o.infer['wasm-simd128'], ort: o.infer['ort-wasm'], litert: o.infer['litert-1t'] };
  for (let i = 0; i < o.litert.photoCount; i++) {
    const x = photos.slice(i * size, (i + 1) * size);
    for (const k of ['own', 'ort', 'litert'] as const) if (pick[k]) top1[k].push(argmax(await pick[k]!(x)));
  }
  log(`${o.model}: LiteRT.js vs TF interpreter ${JSON.stringify(maxAbsDiffVsTflite)}; top-1 on ${o.litert.photoCount} photo crops done`);
  return { engines: o.engines, maxAbsDiffVsTflite, top1 };
}
