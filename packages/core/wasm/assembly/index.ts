// resnet-edge int8 engine (AssemblyScript). Built twice by ../build.mjs: SIMD128 and SIMD128 + relaxed SIMD.
// Memory is managed by the host (TypeScript executor): everything above heap_base() is the host's arena.
export { gemm_q8 } from './gemm';
export { im2row, im2row16 } from './im2row';
export { add_q8, copy_channels } from './eltwise';
export { maxpool_q8, avgpool_q8, gap_q8 } from './pool';
export { quantize_f32 } from './quantize';
export { pack_weights } from './pack';

/** First byte the host may use. */
export function heap_base(): usize {
  return (__heap_base + 15) & ~15;
}

/** 1 when this build uses relaxed SIMD (gemm mode 1 available). */
export function has_relaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
