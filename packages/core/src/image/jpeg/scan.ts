/**
 * Scan driver (MCU order, restart markers, running out of data) and sequential (baseline / extended Huffman)
 * block decoding, as in ITU T.81 F.2.2 and libjpeg's jdhuff.c.
 */
import { corrupt } from './errors.js';
import { END_OF_DATA, FAST_EOB, LOOKAHEAD, decodeSlow, extend, type BitReader, type HuffmanTable } from './huffman.js';
import { ZIGZAG, type Frame, type FrameComponent, type ScanHeader } from './markers.js';

const LOOK_MASK = (1 << LOOKAHEAD) - 1;

/** Decodes (or, once data has run out, skips) the block at (bx, by) of the scan's component number sci. */
export type BlockFn = (sci: number, comp: FrameComponent, bx: number, by: number) => void;

export interface ScanCallbacks {
  /** Decodes one block; or give `mcu`, which decodes all blocks of MCU (mx, my) (one block in a one-component scan). */
  block?: BlockFn;
  mcu?(mx: number, my: number): void;
  /** Replaces `block` / `mcu` for MCUs after the data ran out (libjpeg leaves their coefficients untouched). */
  missing?: BlockFn;
  /** After each restart marker: reset DC predictions and EOB runs. */
  restart(): void;
  /** After the block rows of iMCU row m are done. */
  imcuRow?(m: number): void;
  /**
   * Real data ended (or a marker appeared) inside MCU `mcu` of `total` (`perRow` per MCU row): return normally to
   * finish the scan with zeros, as libjpeg does, or throw.
   */
  exhausted(marker: number, mcu: number, total: number, perRow: number): void;
}

/** Runs one scan from the reader's position to its last MCU. */
export function runScan(r: BitReader, frame: Frame, scan: ScanHeader, restartInterval: number, cb: ScanCallbacks): void {
  const comps = scan.components;
  const interleaved = comps.length > 1;
  const single = comps[0];
  const perRow = interleaved ? frame.mcusPerLine : single.widthInBlocks;
  const mcuRows = interleaved ? frame.imcuRows : single.heightInBlocks;
  const total = perRow * mcuRows;
  let out = false; // data ran out: the rest of the scan is "missing"
  let nextRst = 0;
  let mcu = 0;
  for (let my = 0; my < mcuRows; my++) {
    for (let mx = 0; mx < perRow; mx++, mcu++) {
      if (restartInterval && mcu > 0 && mcu % restartInterval === 0 && !out) {
        const m = findRestart(r, nextRst);
        if (m !== -1) {
          cb.exhausted(m, mcu, total, perRow);
          out = true;
        } else {
          nextRst = (nextRst + 1) & 7;
          cb.restart();
        }
      }
      const fn = out ? cb.missing : cb.block;
      if (!out && cb.mcu) {
        cb.mcu(mx, my);
      } else if (fn) {
        if (interleaved) {
          for (let i = 0; i < comps.length; i++) {
            const c = comps[i];
            for (let by = 0; by < c.v; by++) for (let bx = 0; bx < c.h; bx++) fn(i, c, mx * c.h + bx, my * c.v + by);
          }
        } else {
          fn(0, single, mx, my);
        }
      }
      if (!out && r.exhausted) {
        cb.exhausted(r.marker, mcu, total, perRow);
        out = true;
      }
    }
    if (cb.imcuRow && (interleaved || (my + 1) % single.v === 0 || my === mcuRows - 1)) {
      cb.imcuRow(interleaved ? my : Math.floor(my / single.v));
    }
  }
  r.reset();
}

/**
 * At a restart boundary: drops the bit buffer and consumes the expected RSTn marker. Returns -1 when found, else
 * the marker (or END_OF_DATA) found instead; the reader then stays in front of it.
 */
function findRestart(r: BitReader, n: number): number {
  r.reset();
  const b = r.data;
  let p = r.pos;
  for (;;) {
    while (p < b.length && b[p] !== 0xff) p++; // libjpeg skips (and warns about) junk before a marker
    while (p < b.length && b[p] === 0xff) p++;
    if (p >= b.length) {
      r.marker = END_OF_DATA;
      return END_OF_DATA;
    }
    if (b[p] !== 0) break;
    p++; // FF 00 is junk here too
  }
  if (b[p] === 0xd0 + n) {
    r.pos = p + 1;
    r.marker = 0;
    return -1;
  }
  r.marker = b[p];
  return b[p];
}

/**
 * Decodes one sequential-mode block into blk[o..o+63] (natural order, which must be zero on entry). The DC
 * prediction lives in pred[ci]. With storeAc false the AC coefficients are parsed but not written (1/8 scale
 * needs only DC). Returns the zigzag index of the last coefficient written (0: DC only).
 *
 * The hot loop keeps the bit buffer in locals and refills inline from plain bytes; stuffed bytes, markers and the
 * end of the data go through BitReader.fill.
 */
export function decodeBlock(
  r: BitReader, blk: Int16Array, o: number, dcT: HuffmanTable, acT: HuffmanTable, pred: Int32Array, ci: number, storeAc: boolean,
): number {
  const data = r.data;
  const end = data.length;
  let acc = r.acc;
  let bits = r.bits;
  let pos = r.pos;
  // DC difference
  if (bits < 16) {
    while (bits <= 24) {
      const b = pos < end ? data[pos] : 0xff;
      if (b === 0xff) {
        r.acc = acc;
        r.bits = bits;
        r.pos = pos;
        r.fill();
        acc = r.acc;
        bits = r.bits;
        pos = r.pos;
        break;
      }
      acc = (acc << 8) | b;
      pos++;
      bits += 8;
    }
  }
  let e = dcT.lookup[(acc >>> (bits - LOOKAHEAD)) & LOOK_MASK];
  let s: number;
  if (e !== 0) {
    bits -= e >> 8;
    s = e & 255;
  } else {
    r.acc = acc;
    r.bits = bits;
    s = decodeSlow(r, dcT);
    bits = r.bits;
  }
  let dc = pred[ci];
  if (s) {
    if (bits < s) {
      r.acc = acc;
      r.bits = bits;
      r.pos = pos;
      r.fill();
      acc = r.acc;
      bits = r.bits;
      pos = r.pos;
    }
    bits -= s;
    dc += extend((acc >>> bits) & ((1 << s) - 1), s);
  }
  pred[ci] = dc;
  blk[o] = dc;
  // AC coefficients: the fast table resolves code + value in one lookup.
  const fast = acT.fastAc;
  const lookup = acT.lookup;
  let last = 0;
  let k = 1;
  while (k < 64) {
    if (bits < 16) {
      while (bits <= 24) {
        const b = pos < end ? data[pos] : 0xff;
        if (b === 0xff) {
          r.acc = acc;
          r.bits = bits;
          r.pos = pos;
          r.fill();
          acc = r.acc;
          bits = r.bits;
          pos = r.pos;
          break;
        }
        acc = (acc << 8) | b;
        pos++;
        bits += 8;
      }
    }
    const look = (acc >>> (bits - LOOKAHEAD)) & LOOK_MASK;
    const f = fast[look];
    if (f !== 0) {
      bits -= f & 255;
      k += (f >> 8) & 255;
      if (k > 63) {
        if (((f >> 8) & 255) === FAST_EOB) break;
        // Past the block: corrupt data, unless this is the zero padding after the data ran out, where libjpeg
        // writes the coefficient to position 63 and carries on (the scan driver then applies the truncation rule).
        if (bits >= r.pad) corrupt('AC coefficient index past 63');
        if (storeAc) blk[o + 63] = f >> 16;
        last = 63;
        break;
      }
      if (storeAc) blk[o + ZIGZAG[k]] = f >> 16;
      last = k++;
      continue;
    }
    e = lookup[look];
    let rs: number;
    if (e !== 0) {
      bits -= e >> 8;
      rs = e & 255;
    } else {
      r.acc = acc;
      r.bits = bits;
      rs = decodeSlow(r, acT);
      bits = r.bits;
    }
    const size = rs & 15;
    if (size) {
      k += rs >> 4;
      if (k > 63 && bits >= r.pad) corrupt('AC coefficient index past 63');
      if (bits < size) {
        r.acc = acc;
        r.bits = bits;
        r.pos = pos;
        r.fill();
        acc = r.acc;
        bits = r.bits;
        pos = r.pos;
      }
      bits -= size;
      if (k > 63) {
        if (storeAc) blk[o + 63] = extend((acc >>> bits) & ((1 << size) - 1), size);
        last = 63;
        break;
      }
      if (storeAc) blk[o + ZIGZAG[k]] = extend((acc >>> bits) & ((1 << size) - 1), size);
      last = k++;
    } else if (rs === 0xf0) {
      k += 16; // ZRL: 16 zeros
    } else {
      break; // EOB
    }
  }
  r.acc = acc;
  r.bits = bits;
  r.pos = pos;
  return last;
}
