// resnet-edge int8 engine (AssemblyScript). Built three times by ../build.mjs: SIMD128, SIMD128 + relaxed SIMD, and
// SIMD128 on a shared memory (helper threads run im2row/gemm_q8 on it, one scratch per thread).
// Memory is managed by the host (src/engine/exec/wasm/executor.ts): everything above heap_base() is the host's.
// gemm_q8's modes are named in src/engine/wasm/gemm-mode.ts; the default is mode 0 (SIMD128) in every build.
export { gemm_q8 } from './gemm';
export { im2row, im2row16 } from './im2row';
export { add_q8, copy_channels, requant_q8 } from './eltwise';
export { maxpool_q8, avgpool_q8, gap_q8 } from './pool';
export { quantize_f32 } from './quantize';
export { minmax_f32, bias_act_f32, bias_act_nchw_f32 } from './float';
export { pack_weights } from './pack';
export { wino_pack, wino_input, wino_output, wino_pack16, wino_output_f32 } from './winograd';

/** First byte the host may use. */
export function heap_base(): usize {
  return (__heap_base + 15) & ~15;
}

/** 1 in the relaxed-SIMD build (gemm modes 1 and 2 available; mode 0 stays the default). */
export function has_relaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
