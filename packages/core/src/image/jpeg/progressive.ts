/**
 * Progressive JPEG (ITU T.81 G.1.2, libjpeg's jdphuff.c): block functions for DC first/refine and AC first scans
 * (AC refinement in ac-refine.ts), decoding into the coefficient store (coef-store.ts).
 */
import { corrupt } from './errors.js';
import { extend, type BitReader, type HuffmanTable } from './huffman.js';
import { setCoef, type ComponentCoefs } from './coef-store.js';
import type { Frame, ScanHeader } from './markers.js';
import type { BlockFn } from './scan.js';
import { acRefine } from './ac-refine.js';

/** Progress state shared by the unit decoders of one scan. */
export interface ScanState {
  r: BitReader;
  pred: Int32Array;
  eobrun: number;
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
