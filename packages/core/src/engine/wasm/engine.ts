/** Loads the int8 engine: picks the relaxed-SIMD build when the runtime validates it, else the SIMD128 build. */
import { BackendError } from '../../errors.js';
import { engineBuildBytes, relaxedSimdSupported } from './engine-builds.js';
import { pickRelaxedMode } from './engine-select.js';
import type { RelaxedMode } from './gemm-mode.js';
import type { EngineThreadPool } from './thread-pool.js';
import { threadsSupported } from './thread-support.js';

/** Raw exports of the AssemblyScript engine (pointers are byte offsets into the shared memory). */
export interface EngineExports {
  heap_base(): number;
  has_relaxed(): number;
  gemm_q8(rows: number, rowStride: number, P: number, chunks: number, wpk: number, OC: number, mode: number,
    bias: number, scale: number, zp: number, lo: number, hi: number, dst: number, dstStride: number, outF32: number): void;
  im2row(src: number, H: number, W: number, Cs: number, cOff: number, Cg: number, KH: number, KW: number, sh: number,
    sw: number, ph: number, pw: number, dh: number, dw: number, OH: number, OW: number, zp: number, dst: number, Kp: number): void;
  /** im2row with int16 output rows (for GEMM_MODE.simd128Int16Rows). */
  im2row16(src: number, H: number, W: number, Cs: number, cOff: number, Cg: number, KH: number, KW: number, sh: number,
    sw: number, ph: number, pw: number, dh: number, dw: number, OH: number, OW: number, zp: number, dst: number, Kp: number): void;
  add_q8(a: number, b: number, out: number, n: number, sa: number, sb: number, sc: number, za: number, zb: number, zc: number, zr: number, lo: number, hi: number): void;
  copy_channels(src: number, srcCs: number, srcOff: number, dst: number, dstCs: number, dstOff: number, P: number, C: number): void;
  /** out[i] = table[in[i] + 128] over n bytes (n a multiple of 16; table: 256 int8 in wasm memory). */
  requant_q8(src: number, dst: number, n: number, table: number): void;
  maxpool_q8(src: number, H: number, W: number, Cs: number, KH: number, KW: number, sh: number, sw: number, ph: number,
    pw: number, dh: number, dw: number, OH: number, OW: number, dst: number): void;
  avgpool_q8(src: number, H: number, W: number, Cs: number, KH: number, KW: number, sh: number, sw: number, ph: number,
    pw: number, pb: number, pr: number, OH: number, OW: number, countIncludePad: number, zin: number, scale: number, zout: number, dst: number): void;
  quantize_f32(src: number, N: number, C: number, HW: number, Cs: number, scale: number, zp: number, dst: number): void;
  /** out[0] = min(0, x...), out[1] = max(0, x...) over n f32 (NaN skipped): DynamicQuantizeLinear's range. */
  minmax_f32(src: number, n: number, out: number): void;
  /** Channel-last y = relu?((x + bias[o]) + res?) over n f32, OC per pixel (res 0: none); y may be x. */
  bias_act_f32(x: number, y: number, n: number, OC: number, bias: number, res: number, relu: number): void;
  /** One image's channel-last [P][OC] into NCHW [OC][P]: y = relu?(x + bias[o]). */
  bias_act_nchw_f32(x: number, y: number, P: number, OC: number, bias: number, relu: number): void;
  /** Packs one group's int8 weights [OCg][K] into gemm_q8's layout; writes sum(w) and sum(n) per channel. */
  pack_weights(src: number, OCg: number, K: number, mode: number, dst: number, sums: number, sumsN: number): void;
  gap_q8(src: number, HW: number, Cs: number, zin: number, mul: number, zout: number, dst: number): void;
  /** Winograd F(2x2, 3x3) weight transform into 16 gemm_q8 mode-0 int16 matrices (one per tile position). */
  wino_pack(src: number, OC: number, C: number, dst: number, eStride: number): void;
  /** Winograd input transform of tile rows [ty0, ty0 + nty) into [tile][16][Kp] int16. */
  wino_input(src: number, H: number, W: number, Cs: number, Kp: number, ph: number, pw: number, ty0: number, nty: number, TW: number, zp: number, dst: number): void;
  /** Winograd output transform of [tile][16][OCp] int32 sums, + bias, requantized into the NHWC int8 output. */
  wino_output(M: number, OCp: number, OC: number, ty0: number, nty: number, TW: number, OH: number, OW: number,
    bias: number, scale: number, zp: number, lo: number, hi: number, dst: number, dstCs: number): void;
  /** wino_pack for int16 OHWI weights (ConvInteger's 9-bit w - zw). */
  wino_pack16(src: number, OC: number, C: number, dst: number, eStride: number): void;
  /** wino_output into f32: f32(Y + bias) * scale per channel, NHWC with channel stride dstCs (floats). */
  wino_output_f32(M: number, OCp: number, OC: number, ty0: number, nty: number, TW: number, OH: number, OW: number,
    bias: number, scale: number, dst: number, dstCs: number): void;
}

export interface EngineInstance {
  exports: EngineExports;
  memory: WebAssembly.Memory;
  /** True when the relaxed-SIMD build is running. */
  relaxed: boolean;
  /**
   * gemm mode of the session: 0 (SIMD128 kernel, in both builds), 1 (relaxed dot-add, for layers whose weights fit
   * the 7-bit split), 2 (non-accumulating relaxed dot) or 3 (relaxed usdot). All are exact; see engine-select.ts.
   */
  relaxedMode: RelaxedMode;
  /** Helper threads sharing `memory` (present when more than one thread was asked for and is possible here). */
  pool?: EngineThreadPool;
  /** Whether stride-1 3x3 convs may run as exact Winograd F(2x2, 3x3) (ops/conv/winograd-wasm.ts). */
  winograd: boolean;
}

export interface EngineModuleOptions {
  /** A precompiled engine module (required on Cloudflare Workers, which cannot compile wasm from bytes). */
  module?: WebAssembly.Module;
  /** Force the build: `true` relaxed SIMD, `false` SIMD128; default picks by feature detection. */
  relaxedSimd?: boolean;
  /**
   * gemm mode of the relaxed build: default 3 (usdot) where the runtime passes its known-answer test (x64 AVX-VNNI),
   * else 0 (SIMD128 kernel); 1 (relaxed dot-add; 2 where the runtime fails its known-answer test) or 2 on request.
   * See engine-select.ts.
   */
  relaxedMode?: RelaxedMode;
  /**
   * Threads (default 1). More than 1 runs the engine build on a shared memory with helper threads
   * (worker_threads in Node; Web Workers in cross-origin isolated pages). Where that is impossible (no
   * SharedArrayBuffer, Cloudflare Workers, a precompiled `module`) the engine runs single-threaded; `pool` says which.
   */
  threads?: number;
  /**
   * Stride-1 3x3 convs as exact integer Winograd F(2x2, 3x3) where the SIMD128 kernel runs them (default true;
   * results are bit-identical either way; false is for comparisons).
   */
  winograd?: boolean;
}

export { relaxedSimdSupported };

let cached: { module: WebAssembly.Module; relaxed: boolean } | undefined;

/** Compiles (once) the best build this runtime supports. */
async function engineModule(relaxedSimd?: boolean): Promise<{ module: WebAssembly.Module; relaxed: boolean }> {
  if (relaxedSimd === undefined && cached) return cached;
  if (typeof WebAssembly === 'undefined') throw new BackendError('BACKEND_UNAVAILABLE', 'WebAssembly is not available');
  const useRelaxed = relaxedSimd ?? relaxedSimdSupported();
  const bytes = await engineBuildBytes(useRelaxed ? 'relaxed' : 'simd');
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
  const winograd = options.winograd ?? true;
  if ((options.threads ?? 1) > 1 && !options.module && threadsSupported()) {
    // On demand: single-threaded apps never download the pool and the shared-memory patcher.
    const { instantiateThreaded } = await import('./threaded-engine.js');
    return { ...(await instantiateThreaded(options.threads!, options)), winograd };
  }
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
  const relaxedMode = !relaxed ? 0 : pickRelaxedMode(exports, memory, options.relaxedMode);
  return { exports, memory, relaxed, relaxedMode, winograd };
}
