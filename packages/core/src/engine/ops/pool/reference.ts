/** int8 MaxPool / AveragePool reference (wasm: packages/core/wasm/assembly/pool.ts). NCHW in and out. */
import type { PlanPool } from '../../plan/types.js';
import { requantize } from '../shared/requant.js';

/**
 * MaxPool / AveragePool on int8 NCHW.
 *
 * @example
 * ```ts
 * const y = poolQ8Ref({ op, x, inShape: [1, 16, 8, 8], outShape: [1, 16, 4, 4] });
 * ```
 */
export function poolQ8Ref(o: { op: PlanPool; x: Int8Array; inShape: readonly number[]; outShape: readonly number[] }): Int8Array {
  const { op, x } = o;
  const [N, C, H, W] = o.inShape, [, , OH, OW] = o.outShape;
  const y = new Int8Array(N * C * OH * OW);
  for (let nc = 0; nc < N * C; nc++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    let m = -128, sum = 0, count = 0, padded = 0;
    for (let ky = 0; ky < op.kernel[0]; ky++) {
      const iy = oy * op.strides[0] - op.pads[0] + ky * op.dilations[0];
      for (let kx = 0; kx < op.kernel[1]; kx++) {
        const ix = ox * op.strides[1] - op.pads[1] + kx * op.dilations[1];
        if (iy < H + op.pads[2] && ix < W + op.pads[3]) padded++;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
        const v = x[(nc * H + iy) * W + ix];
        m = Math.max(m, v);
        sum += v;
        count++;
      }
    }
    const i = (nc * OH + oy) * OW + ox;
    if (op.op === 'maxpool') y[i] = m;
    else {
      const div = op.countIncludePad ? padded : count;
      const mul = div > 0 ? Math.fround(Math.fround(op.scale) / div) : 0;
      y[i] = requantize(sum - op.inZeroPoint * count, mul, op.outZeroPoint, -128, 127);
    }
  }
  return y;
}
