/**
 * Progressive JPEG (ITU T.81 G.1.2, libjpeg's jdphuff.c): DC first/refine and AC first/refine scans into a
 * coefficient store, which multi-scan sequential files use too.
 *
 * The store keeps only what the output IDCT reads (see coefficientsUsed): 64 coefficients per block at full
 * size, 49 / 25 / 1 for a component decoded with a 4x4 / 2x2 / 1x1 IDCT, plus a 64-bit "nonzero" mask per block
 * in those reduced modes, because refinement scans must know which coefficients are already nonzero even where
 * their values are not needed. Worst case (scale 1): 128 bytes per block, i.e. 2 bytes per sample.
 */
import { corrupt } from './errors.js';
import { extend, type BitReader, type HuffmanTable } from './huffman.js';
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
  /** Two words per block: bit z set when coefficient z (natural order) is nonzero. Empty when full. */
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
    mask: new Int32Array(full ? 0 : blocks * 2), blocksPerLine: c.blocksPerLine,
  };
}

/** Bytes the store for one component will take (for the memory notes and checks). */
export function coefBytes(c: FrameComponent, ds: 1 | 2 | 4 | 8): number {
  const blocks = c.blocksPerLine * c.blocksPerColumn;
  return blocks * (coefficientsUsed(ds).length * 2 + (ds === 8 ? 0 : 8));
}

/** Progress state shared by the unit decoders of one scan. */
export interface ScanState {
  r: BitReader;
  pred: Int32Array;
  eobrun: number;
}

function isNonzero(s: ComponentCoefs, b: number, z: number): boolean {
  if (s.full) return s.values[b * 64 + z] !== 0;
  return (s.mask[2 * b + (z >> 5)] & (1 << (z & 31))) !== 0;
}

function setCoef(s: ComponentCoefs, b: number, z: number, v: number): void {
  if (s.full) {
    s.values[b * 64 + z] = v;
    return;
  }
  s.mask[2 * b + (z >> 5)] |= 1 << (z & 31);
  const i = s.slot[z];
  if (i >= 0) s.values[b * s.k + i] = v;
}

/** Returns the block function for one progressive scan (`frame.progressive` must be true). */
export function progressiveBlockFn(st: ScanState, scan: ScanHeader, coefs: ComponentCoefs[]): BlockFn {
  const { ss, se, ah, al } = scan;
  const r = st.r;
  if (ss === 0) {
    const p1 = 1 << al;
    if (ah === 0) {
      return (sci, comp, bx, by) => {
        const s = r.decode(scan.dcTables[sci]);
        let dc = st.pred[sci];
        if (s) dc += extend(r.getBits(s), s);
        st.pred[sci] = dc;
        const cs = coefs[comp.index];
        cs.values[(by * cs.blocksPerLine + bx) * cs.k] = dc * p1; // JCOEF: wraps to 16 bits like libjpeg
      };
    }
    return (_sci, comp, bx, by) => {
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
  return (_sci, comp, bx, by) => {
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
        if (k > se) corrupt('AC coefficient index past the end of the band');
        setCoef(cs, b, ZIGZAG[k], extend(r.getBits(s), s) * scale);
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
  // Appends a correction bit to an already-nonzero coefficient (stored ones get it added to their magnitude).
  const correct = (cs: ComponentCoefs, b: number, z: number): void => {
    if (!r.getBits(1)) return;
    const i = cs.full ? b * 64 + z : cs.slot[z] >= 0 ? b * cs.k + cs.slot[z] : -1;
    if (i < 0) return;
    const v = cs.values[i];
    if ((v & p1) === 0) cs.values[i] = v >= 0 ? v + p1 : v + m1;
  };
  return (_sci, comp, bx, by) => {
    const cs = coefs[comp.index];
    const b = by * cs.blocksPerLine + bx;
    let k = ss;
    if (st.eobrun === 0) {
      for (; k <= se; k++) {
        const rs = r.decode(acT);
        let run = rs >> 4;
        const s = rs & 15;
        let value = 0;
        if (s) {
          if (s !== 1) corrupt('bad Huffman code in an AC refinement scan');
          value = r.getBits(1) ? p1 : m1;
        } else if (run !== 15) {
          st.eobrun = 1 << run;
          if (run) st.eobrun += r.getBits(run);
          break;
        }
        // Skip `run` still-zero coefficients, correcting the nonzero ones passed on the way.
        while (k <= se) {
          const z = ZIGZAG[k];
          if (isNonzero(cs, b, z)) correct(cs, b, z);
          else if (--run < 0) break;
          k++;
        }
        if (value) {
          if (k > se) corrupt('AC coefficient index past the end of the band');
          setCoef(cs, b, ZIGZAG[k], value);
        }
      }
    }
    if (st.eobrun > 0) {
      for (; k <= se; k++) {
        const z = ZIGZAG[k];
        if (isNonzero(cs, b, z)) correct(cs, b, z);
      }
      st.eobrun--;
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
