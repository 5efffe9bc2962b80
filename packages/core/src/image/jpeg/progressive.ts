/**
 * Progressive JPEG (ITU T.81 G.1.2, libjpeg's jdphuff.c): DC first/refine and AC first/refine scans into a
 * coefficient store, which multi-scan sequential files use too.
 *
 * The store keeps only what the output IDCT reads (see coefficientsUsed): 64 coefficients per block at full
 * size, 49 / 25 / 1 for a component decoded with a 4x4 / 2x2 / 1x1 IDCT, plus a 64-bit "nonzero" mask per block
 * (bit k = zigzag coefficient k), because refinement scans must know which coefficients are already nonzero even
 * where their values are not needed; it also lets a refinement visit only the nonzero coefficients. Worst case
 * (scale 1): 136 bytes per block, about 2.1 bytes per sample.
 */
import { corrupt } from './errors.js';
import { LOOKAHEAD, decodeSlow, extend, type BitReader, type HuffmanTable } from './huffman.js';

const LOOK_MASK = (1 << LOOKAHEAD) - 1;
import { coefficientsUsed } from './idct-scaled.js';
import { ZIGZAG, type Frame, type FrameComponent, type ScanHeader } from './markers.js';
import type { BlockFn } from './scan.js';

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

/** Progress state shared by the unit decoders of one scan. */
export interface ScanState {
  r: BitReader;
  pred: Int32Array;
  eobrun: number;
}

/**
 * Sets zigzag coefficient k of block b (first time nonzero). k may run past 63 only in the zero padding after
 * the data ended; like libjpeg (whose natural-order table has 16 guard entries) it then lands on position 63.
 */
function setCoef(s: ComponentCoefs, b: number, k: number, v: number): void {
  if (k > 63) k = 63;
  s.mask[2 * b + (k >> 5)] |= 1 << (k & 31);
  const z = ZIGZAG[k];
  if (s.full) s.values[b * 64 + z] = v;
  else if (s.slot[z] >= 0) s.values[b * s.k + s.slot[z]] = v;
}

/** Returns the block function for one progressive scan (`frame.progressive` must be true). */
export function progressiveBlockFn(st: ScanState, scan: ScanHeader, coefs: ComponentCoefs[]): BlockFn {
  const { ss, se, ah, al } = scan;
  const r = st.r;
  if (ss === 0) {
    const p1 = 1 << al;
    if (ah === 0) {
      return function dcFirst(sci, comp, bx, by) {
        const s = r.decode(scan.dcTables[sci]);
        let dc = st.pred[sci];
        if (s) dc += extend(r.getBits(s), s);
        st.pred[sci] = dc;
        const cs = coefs[comp.index];
        cs.values[(by * cs.blocksPerLine + bx) * cs.k] = dc * p1; // JCOEF: wraps to 16 bits like libjpeg
      };
    }
    return function dcRefine(_sci, comp, bx, by) {
      if (r.getBits(1)) {
        const cs = coefs[comp.index];
        cs.values[(by * cs.blocksPerLine + bx) * cs.k] |= p1;
      }
    };
  }
  const acT = scan.acTables[0];
  return ah === 0 ? acFirst(st, acT, ss, se, al, coefs) : acRefine(st, acT, ss, se, al, coefs);
}

function acFirst(st: ScanState, acT: HuffmanTable, ss: number, se: number, al: number, coefs: ComponentCoefs[]): BlockFn {
  const r = st.r;
  const scale = 1 << al;
  return function acFirstBlock(_sci, comp, bx, by) {
    if (st.eobrun > 0) {
      st.eobrun--;
      return;
    }
    const cs = coefs[comp.index];
    const b = by * cs.blocksPerLine + bx;
    for (let k = ss; k <= se; k++) {
      const rs = r.decode(acT);
      const run = rs >> 4;
      const s = rs & 15;
      if (s) {
        k += run;
        if (k > se && !r.exhausted) corrupt('AC coefficient index past the end of the band');
        setCoef(cs, b, k, extend(r.getBits(s), s) * scale);
      } else if (run === 15) {
        k += 15;
      } else {
        st.eobrun = (1 << run) - 1;
        if (run) st.eobrun += r.getBits(run);
        break;
      }
    }
  };
}

function acRefine(st: ScanState, acT: HuffmanTable, ss: number, se: number, al: number, coefs: ComponentCoefs[]): BlockFn {
  const r = st.r;
  const p1 = 1 << al;
  const m1 = -1 << al;
  // Adds the correction to already-nonzero zigzag coefficient k when its bit was 1 (stored coefficients only).
  const apply = (cs: ComponentCoefs, b: number, k: number): void => {
    const z = ZIGZAG[k];
    const i = cs.full ? b * 64 + z : cs.slot[z] >= 0 ? b * cs.k + cs.slot[z] : -1;
    if (i < 0) return;
    const v = cs.values[i];
    if ((v & p1) === 0) cs.values[i] = v >= 0 ? v + p1 : v + m1;
  };
  return function acRefineBlock(_sci, comp, bx, by) {
    const cs = coefs[comp.index];
    const b = by * cs.blocksPerLine + bx;
    const mask = cs.mask;
    let lo = mask[2 * b];
    let hi = mask[2 * b + 1];
    // Bit buffer in locals; r.fill() (stuffing, markers, end of data) through the object.
    let acc = r.acc;
    let left = r.bits;
    let k = ss;
    if (st.eobrun === 0) {
      for (; k <= se; k++) {
        if (left < 16) {
          r.bits = left;
          r.fill();
          acc = r.acc;
          left = r.bits;
        }
        let rs = acT.lookup[(acc >>> (left - LOOKAHEAD)) & LOOK_MASK];
        if (rs !== 0) {
          left -= rs >> 8;
          rs &= 255;
        } else {
          r.bits = left;
          rs = decodeSlow(r, acT);
          left = r.bits;
        }
        let run = rs >> 4;
        const s = rs & 15;
        let value = 0;
        if (s) {
          if (s !== 1 && left >= r.pad) corrupt('bad Huffman code in an AC refinement scan');
          if (left === 0) {
            r.bits = 0;
            r.fill();
            acc = r.acc;
            left = r.bits;
          }
          left--;
          value = (acc >>> left) & 1 ? p1 : m1;
        } else if (run !== 15) {
          let n = 1 << run;
          if (run) {
            if (left < run) {
              r.bits = left;
              r.fill();
              acc = r.acc;
              left = r.bits;
            }
            left -= run;
            n += (acc >>> left) & ((1 << run) - 1);
          }
          st.eobrun = n;
          break;
        }
        // Skip `run` still-zero coefficients, correcting the nonzero ones passed on the way.
        while (k <= se) {
          if (((k < 32 ? lo : hi) >>> k) & 1) {
            if (left === 0) {
              r.bits = 0;
              r.fill();
              acc = r.acc;
              left = r.bits;
            }
            left--;
            if ((acc >>> left) & 1) apply(cs, b, k);
          } else if (--run < 0) break;
          k++;
        }
        if (value) {
          if (k > se && left >= r.pad) corrupt('AC coefficient index past the end of the band');
          setCoef(cs, b, k, value);
          lo = mask[2 * b];
          hi = mask[2 * b + 1];
        }
      }
    }
    if (st.eobrun > 0) {
      // Correction bits for the remaining nonzero coefficients: bit-scan the mask (zigzag order = bit order).
      for (let w = k >> 5; k <= se && w <= se >> 5; w++) {
        let bits = w === 0 ? lo : hi;
        if (w === k >> 5) bits &= -1 << (k & 31);
        if (w === se >> 5 && (se & 31) !== 31) bits &= (1 << ((se & 31) + 1)) - 1;
        while (bits !== 0) {
          const t = 31 - Math.clz32(bits & -bits);
          bits &= bits - 1;
          if (left === 0) {
            r.bits = 0;
            r.fill();
            acc = r.acc;
            left = r.bits;
          }
          left--;
          if ((acc >>> left) & 1) apply(cs, b, w * 32 + t);
        }
      }
      st.eobrun--;
    }
    r.acc = acc;
    r.bits = left;
  };
}

/** Checks a progressive scan's parameters as libjpeg's start_pass_phuff_decoder does (fatal cases only). */
export function checkProgression(frame: Frame, scan: ScanHeader): void {
  const { ss, se, ah, al } = scan;
  let bad = false;
  if (ss === 0) bad = se !== 0;
  else bad = ss > se || se > 63 || scan.components.length !== 1;
  if (ah !== 0 && al !== ah - 1) bad = true;
  if (al > 13) bad = true;
  if (bad || !frame.progressive) corrupt(`invalid progressive scan parameters Ss=${ss} Se=${se} Ah=${ah} Al=${al}`);
}
