/**
 * Coefficient store for progressive and multi-scan files. It keeps only what the output IDCT reads (see
 * coefficientsUsed): 64 coefficients per block at full size, 49 / 25 / 1 for a component decoded with a 4x4 / 2x2 /
 * 1x1 IDCT, plus a 64-bit "nonzero" mask per block (bit k = zigzag coefficient k), because refinement scans must
 * know which coefficients are already nonzero even where their values are not needed; it also lets a refinement
 * visit only the nonzero coefficients. Worst case (scale 1): 136 bytes per block, about 2.1 bytes per sample.
 */
import { coefficientsUsed } from './idct-scaled.js';
import { ZIGZAG, type FrameComponent } from './markers.js';

export interface ComponentCoefs {
  /** All 64 coefficients per block (no mask). */
  full: boolean;
  /** Slots per block, and natural index -> slot (-1: not stored). */
  k: number;
  slot: Int8Array;
  /** Natural index of each slot. */
  slotPos: Uint8Array;
  values: Int16Array;
  /** Two words per block: bit k set when zigzag coefficient k (k >= 1) is nonzero. */
  mask: Int32Array;
  blocksPerLine: number;
}

/** Allocates the store for one component decoded with an IDCT of size ds. */
export function newComponentCoefs(c: FrameComponent, ds: 1 | 2 | 4 | 8): ComponentCoefs {
  const blocks = c.blocksPerLine * c.blocksPerColumn;
  const used = coefficientsUsed(ds);
  const full = ds === 8;
  const slot = new Int8Array(64).fill(-1);
  used.forEach((z, i) => (slot[z] = i));
  return {
    full, k: used.length, slot, slotPos: Uint8Array.from(used), values: new Int16Array(blocks * used.length),
    mask: new Int32Array(blocks * 2), blocksPerLine: c.blocksPerLine,
  };
}

/** Bytes the store for one component will take (for the memory notes and checks). */
export function coefBytes(c: FrameComponent, ds: 1 | 2 | 4 | 8): number {
  const blocks = c.blocksPerLine * c.blocksPerColumn;
  return blocks * (coefficientsUsed(ds).length * 2 + 8);
}

/**
 * Sets zigzag coefficient k of block b (first time nonzero). k may run past 63 only in the zero padding after
 * the data ended; like libjpeg (whose natural-order table has 16 guard entries) it then lands on position 63.
 */
export function setCoef(s: ComponentCoefs, b: number, k: number, v: number): void {
  if (k > 63) k = 63;
  s.mask[2 * b + (k >> 5)] |= 1 << (k & 31);
  const z = ZIGZAG[k];
  if (s.full) s.values[b * 64 + z] = v;
  else if (s.slot[z] >= 0) s.values[b * s.k + s.slot[z]] = v;
}

