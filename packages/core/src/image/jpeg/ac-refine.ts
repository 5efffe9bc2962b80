/**
 * AC successive-approximation refinement scans (ITU T.81 G.1.2.3, libjpeg's decode_mcu_AC_refine): one more bit
 * for every already-nonzero coefficient in the band, new coefficients of magnitude 1, EOB runs. The zigzag-order
 * nonzero mask of the coefficient store lets the EOB part visit only the nonzero coefficients, and for components
 * whose AC values are not kept (1/8 scale) both parts skip correction bits by counting them.
 */
import { corrupt } from './errors.js';
import { LOOKAHEAD, decodeSlow, type HuffmanTable } from './huffman.js';
import { ZIGZAG } from './markers.js';
import { setCoef, type ComponentCoefs } from './coef-store.js';
import type { ScanState } from './progressive.js';
import type { BlockFn } from './scan.js';

const LOOK_MASK = (1 << LOOKAHEAD) - 1;

export function acRefine(st: ScanState, acT: HuffmanTable, ss: number, se: number, al: number, coefs: ComponentCoefs[]): BlockFn {
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
        if (cs.k === 1) {
          // No AC values kept (1x1 IDCT): find the (run+1)-th still-zero position with bit operations and skip
          // one correction bit per nonzero coefficient passed, instead of walking the band.
          let need = run + 1;
          let nnz = 0;
          let target = se + 1;
          for (let w = k >> 5; w <= se >> 5; w++) {
            const word = w === 0 ? lo : hi;
            let range = -1;
            if (w === k >> 5) range &= -1 << (k & 31);
            if (w === se >> 5 && (se & 31) !== 31) range &= (1 << ((se & 31) + 1)) - 1;
            let zeros = ~word & range;
            const zc = popcount(zeros);
            if (zc < need) {
              need -= zc;
              nnz += popcount(word & range);
              continue;
            }
            for (let i = 1; i < need; i++) zeros &= zeros - 1;
            const t = 31 - Math.clz32(zeros & -zeros);
            target = w * 32 + t;
            nnz += popcount(word & range & ((1 << t) - 1));
            break;
          }
          k = target;
          while (nnz > 0) {
            if (left === 0) {
              r.bits = 0;
              r.fill();
              acc = r.acc;
              left = r.bits;
            }
            const take = nnz < left ? nnz : left;
            left -= take;
            nnz -= take;
          }
        } else {
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
        if (cs.k === 1) {
          // No AC values kept (1x1 IDCT): the correction bits only need skipping.
          let n = popcount(bits);
          while (n > 0) {
            if (left === 0) {
              r.bits = 0;
              r.fill();
              acc = r.acc;
              left = r.bits;
            }
            const take = n < left ? n : left;
            left -= take;
            n -= take;
          }
          continue;
        }
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

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

