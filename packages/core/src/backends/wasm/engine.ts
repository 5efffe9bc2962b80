/** Loads the int8 engine: picks the relaxed-SIMD build when the runtime validates it, else the SIMD128 build. */
import { BackendError } from '../../errors.js';
import { ENGINE_RELAXED_BASE64, ENGINE_SIMD_BASE64 } from './engine-binaries.generated.js';

/** Raw exports of the AssemblyScript engine (pointers are byte offsets into the shared memory). */
export interface EngineExports {
  heap_base(): number;
  has_relaxed(): number;
  gemm_q8(rows: number, rowStride: number, P: number, chunks: number, wpk: number, OC: number, mode: number,
    bias: number, scale: number, zp: number, lo: number, hi: number, dst: number, dstStride: number, outF32: number): void;
  im2row(src: number, H: number, W: number, Cs: number, cOff: number, Cg: number, KH: number, KW: number, sh: number,
    sw: number, ph: number, pw: number, dh: number, dw: number, OH: number, OW: number, zp: number, dst: number, Kp: number): void;
  add_q8(a: number, b: number, out: number, n: number, ra: number, rb: number, za: number, zb: number, zc: number, lo: number, hi: number): void;
  copy_channels(src: number, srcCs: number, srcOff: number, dst: number, dstCs: number, dstOff: number, P: number, C: number): void;
  maxpool_q8(src: number, H: number, W: number, Cs: number, KH: number, KW: number, sh: number, sw: number, ph: number,
    pw: number, dh: number, dw: number, OH: number, OW: number, dst: number): void;
  avgpool_q8(src: number, H: number, W: number, Cs: number, KH: number, KW: number, sh: number, sw: number, ph: number,
    pw: number, pb: number, pr: number, OH: number, OW: number, countIncludePad: number, zin: number, scale: number, zout: number, dst: number): void;
  quantize_f32(src: number, N: number, C: number, HW: number, Cs: number, scale: number, zp: number, dst: number): void;
  gap_q8(src: number, HW: number, Cs: number, zin: number, mul: number, zout: number, dst: number): void;
}

export interface EngineInstance {
  exports: EngineExports;
  memory: WebAssembly.Memory;
  /** True when the relaxed-SIMD build is running. */
  relaxed: boolean;
  /**
   * gemm mode for layers whose weights fit the relaxed split: 1 (relaxed dot-add) when the runtime computes it
   * correctly, else 0 (the SIMD128 kernel, also in the relaxed build). Mode 2 (non-accumulating relaxed dot) is exact
   * everywhere but measured slower than mode 0 on x64 V8 11.3, so it is only used when forced.
   */
  relaxedMode: 0 | 1 | 2;
}

export interface EngineModuleOptions {
  /** A precompiled engine module (required on Cloudflare Workers, which cannot compile wasm from bytes). */
  module?: WebAssembly.Module;
  /** Force the build: `true` relaxed SIMD, `false` SIMD128; default picks by feature detection. */
  relaxedSimd?: boolean;
  /** Force the relaxed gemm mode (tests and benchmarks); default: 1 if the dot-add self-test passes, else 0. */
  relaxedMode?: 1 | 2;
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let cached: { module: WebAssembly.Module; relaxed: boolean } | undefined;

/**
 * Whether this runtime validates the relaxed-SIMD build (Node 20 needs --experimental-wasm-relaxed-simd).
 *
 * @example
 * ```ts
 * if (relaxedSimdSupported()) console.log('using i32x4.relaxed_dot_i8x16_i7x16_add_s');
 * ```
 */
export function relaxedSimdSupported(): boolean {
  return typeof WebAssembly !== 'undefined' && WebAssembly.validate(decodeBase64(ENGINE_RELAXED_BASE64));
}

/** Compiles (once) the best build this runtime supports. */
async function engineModule(relaxedSimd?: boolean): Promise<{ module: WebAssembly.Module; relaxed: boolean }> {
  if (relaxedSimd === undefined && cached) return cached;
  if (typeof WebAssembly === 'undefined') throw new BackendError('BACKEND_UNAVAILABLE', 'WebAssembly is not available');
  const relaxedBytes = decodeBase64(ENGINE_RELAXED_BASE64);
  const useRelaxed = relaxedSimd ?? WebAssembly.validate(relaxedBytes);
  const bytes = useRelaxed ? relaxedBytes : decodeBase64(ENGINE_SIMD_BASE64);
  if (!WebAssembly.validate(bytes)) {
    throw new BackendError('BACKEND_UNAVAILABLE', `This runtime does not support WebAssembly ${useRelaxed ? 'relaxed ' : ''}SIMD`);
  }
  const module = await WebAssembly.compile(bytes);
  const result = { module, relaxed: useRelaxed };
  if (relaxedSimd === undefined) cached = result;
  return result;
}

/**
 * Instantiates the engine with its own memory.
 *
 * @example
 * ```ts
 * const engine = await instantiateEngine({});            // Node / browsers
 * const engine2 = await instantiateEngine({ module });   // Workers: `import module from './engine-simd.wasm'`
 * ```
 */
export async function instantiateEngine(options: EngineModuleOptions = {}): Promise<EngineInstance> {
  let module = options.module;
  let relaxed: boolean;
  if (!module) ({ module, relaxed } = await engineModule(options.relaxedSimd));
  const memory = new WebAssembly.Memory({ initial: 1 });
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, { env: { memory } });
  } catch (e) {
    throw new BackendError('BACKEND_UNAVAILABLE', 'Could not instantiate the wasm engine', { cause: e });
  }
  const exports = instance.exports as unknown as EngineExports;
  relaxed = exports.has_relaxed() === 1;
  const relaxedMode = !relaxed ? 0 : (options.relaxedMode ?? (dotAddWorks(exports, memory) ? 1 : 0));
  return { exports, memory, relaxed, relaxedMode };
}

/**
 * Known-answer test of i32x4.relaxed_dot_i8x16_i7x16_add_s through gemm mode 1: Node 20's V8 (11.3, x64) returns
 * 2 * dot and drops the accumulator, so such runtimes use mode 2 (i16x8 relaxed dot + widening add) instead.
 */
function dotAddWorks(ex: EngineExports, memory: WebAssembly.Memory): boolean {
  const base = ex.heap_base();
  if (memory.buffer.byteLength < base + 1024) memory.grow(1);
  const x = new Int8Array(memory.buffer, base, 32), w = new Int8Array(memory.buffer, base + 32, 128);
  const wt = (o: number, k: number) => ((o * 16 + k) * 37) % 255 - 127; // weights in [-127, 127]
  for (let k = 0; k < 16; k++) {
    x[k] = k * 17 - 128;
    x[16 + k] = 100 - k * 13;
    for (let o = 0; o < 4; o++) {
      const v = wt(o, k);
      w[o * 16 + k] = v > 0 ? v : 0;
      w[64 + o * 16 + k] = v < 0 ? -v : 0;
    }
  }
  const bias = new Int32Array(memory.buffer, base + 160, 4);
  for (let o = 0; o < 4; o++) {
    let sumN = 0;
    for (let k = 0; k < 16; k++) sumN += Math.max(0, -wt(o, k));
    bias[o] = 1000 + sumN;
  }
  new Float32Array(memory.buffer, base + 176, 4).fill(1 / 256);
  ex.gemm_q8(base, 16, 2, 1, base + 32, 4, 1, base + 160, base + 176, 0, -128, 127, base + 192, 4, 0);
  const out = new Int8Array(memory.buffer, base + 192, 8);
  for (let p = 0; p < 2; p++) {
    for (let o = 0; o < 4; o++) {
      let s = 1000;
      for (let k = 0; k < 16; k++) s += x[p * 16 + k] * wt(o, k);
      const want = Math.max(-128, Math.min(127, Math.round(s / 256)));
      if (Math.abs(out[p * 4 + o] - want) > 1) return false;
    }
  }
  return true;
}
