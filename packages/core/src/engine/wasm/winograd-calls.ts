/**
 * The engine calls of one band of Winograd F(2x2, 3x3) tiles, shared by the int8 conv and ConvInteger: the input
 * transform (wino_input, int16 V in scratch), 16 int32 GEMMs (one per tile position, gemm_q8 mode 4) for output
 * channels [c0, c1), then the op's own inverse transform (`output`: wino_output or wino_output_f32 on M).
 */
import { CALL } from './call-list.js';
import { GEMM_MODE } from './gemm-mode.js';
import type { WinogradGeometry } from '../ops/shared/winograd-bound.js';

/** Where one band's calls read and write (byte addresses in wasm memory). */
export interface WinogradBand {
  g: WinogradGeometry;
  /** The image's NHWC int8 input, its height, width and channel stride, the conv's top/left pads, the zero point. */
  input: number;
  H: number;
  W: number;
  Cs: number;
  pads: readonly [number, number];
  zeroPoint: number;
  /** Transformed weights (16 matrices, g.eStride apart), int32 bias and f32 multipliers of all channels. */
  U: number;
  bias: number;
  scale: number;
  /** This thread's scratch (V, then M). */
  scratch: number;
  /** Tile rows [ty, ty + n). */
  ty: number;
  n: number;
  /** Output channels [c0, c1) (c0 a multiple of 4). */
  channels: readonly [number, number];
}

/**
 * The band's calls; `output(M)` gives the inverse-transform call, M the band's int32 sums offset to channel c0.
 *
 * @example
 * ```ts
 * const calls = winogradBandCalls(band, (M) => [CALL.wino_output, M, g.OCp, ...]);
 * ```
 */
export function winogradBandCalls(b: WinogradBand, output: (M: number) => number[]): number[][] {
  const { g } = b, [c0, c1] = b.channels;
  const V = b.scratch, M = b.scratch + g.band * g.TW * g.tileBytesV, blockBytes = (g.Kp / 16) * 128;
  const calls: number[][] = [[CALL.wino_input, b.input, b.H, b.W, b.Cs, g.Kp, b.pads[0], b.pads[1], b.ty, b.n, g.TW, b.zeroPoint, V]];
  for (let e = 0; e < 16; e++) {
    calls.push([CALL.gemm_q8, V + e * g.Kp * 2, 32 * g.Kp, b.n * g.TW, g.Kp / 16, b.U + e * g.eStride + (c0 / 4) * blockBytes, c1 - c0,
      GEMM_MODE.simd128Int16Rows, b.bias + c0 * 4, b.scale + c0 * 4, 0, -128, 127, M + e * g.OCp * 4 + c0 * 4, 16 * g.OCp, 2]);
  }
  calls.push(output(M + c0 * 4));
  return calls;
}
