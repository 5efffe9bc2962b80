/**
 * Huffman decoding tables and the entropy-coded-segment bit reader.
 *
 * Tables follow ITU T.81 Annex C / F.16 (as libjpeg's jdhuff.c derives them): canonical codes, a 10-bit lookahead
 * table for the common short codes and maxcode/valoffset for the rest. AC tables also get a "fast AC" table that
 * resolves code + extra bits of small coefficients in one lookup.
 */
import { corrupt } from './errors.js';

/** Bits resolved by one lookup. */
export const LOOKAHEAD = 10;
const LOOK_SIZE = 1 << LOOKAHEAD;

/** A derived Huffman table. */
export interface HuffmanTable {
  /** (length << 8) | symbol for codes of at most LOOKAHEAD bits, indexed by the next LOOKAHEAD bits; 0 = longer code. */
  lookup: Int16Array;
  /** AC only: (value << 16) | (run << 8) | bitsUsed when code and extra bits fit in LOOKAHEAD bits (run FAST_EOB:
   * end of block); 0 otherwise. */
  fastAc: Int32Array;
  /** maxcode[l]: the largest code of length l, -1 if none; maxcode[17] is a sentinel. */
  maxcode: Int32Array;
  valoffset: Int32Array;
  values: Uint8Array;
}

/**
 * Builds a decoding table from a DHT segment's 16 counts and symbols; rejects tables that are not a valid
 * prefix code (libjpeg's checks: at most 256 symbols, no code overflows its length, DC symbols 0..15).
 */
export function buildHuffmanTable(counts: Uint8Array, symbols: Uint8Array, isDc: boolean): HuffmanTable {
  const lookup = new Int16Array(LOOK_SIZE);
  const maxcode = new Int32Array(18).fill(-1);
  const valoffset = new Int32Array(18);
  const codes = new Int32Array(symbols.length);
  const lengths = new Uint8Array(symbols.length);
  let code = 0;
  let p = 0;
  for (let l = 1; l <= 16; l++) {
    const n = counts[l - 1];
    if (n) {
      valoffset[l] = p - code;
      for (let i = 0; i < n; i++) {
        codes[p] = code;
        lengths[p++] = l;
        code++;
      }
      maxcode[l] = code - 1;
    }
    // The next code must still fit in l bits: an all-ones code or an overfull length is an invalid table.
    if (code >= 1 << l) corrupt('invalid Huffman table (codes overflow their length)');
    code <<= 1;
  }
  maxcode[17] = 0x7fffffff;
  if (isDc) for (let i = 0; i < p; i++) if (symbols[i] > 15) corrupt('invalid DC Huffman table (symbol > 15)');
  for (let i = 0; i < p && lengths[i] <= LOOKAHEAD; i++) {
    const l = lengths[i];
    const base = codes[i] << (LOOKAHEAD - l);
    for (let j = 0; j < 1 << (LOOKAHEAD - l); j++) lookup[base + j] = (l << 8) | symbols[i];
  }
  const fastAc = new Int32Array(isDc ? 0 : LOOK_SIZE);
  if (!isDc) {
    for (let bits = 0; bits < LOOK_SIZE; bits++) {
      const e = lookup[bits];
      if (!e) continue;
      const l = e >> 8;
      const rs = e & 255;
      const size = rs & 15;
      if (rs === 0) {
        fastAc[bits] = (FAST_EOB << 8) | l; // end of block: run field 255 pushes k past 63
        continue;
      }
      if (size === 0 || l + size > LOOKAHEAD) continue;
      const extra = (bits >> (LOOKAHEAD - l - size)) & ((1 << size) - 1);
      const value = extra < 1 << (size - 1) ? extra - (1 << size) + 1 : extra;
      fastAc[bits] = (value << 16) | ((rs >> 4) << 8) | (l + size);
    }
  }
  return { lookup, fastAc, maxcode, valoffset, values: symbols.slice(0, p) };
}

/** Run field of a fastAc entry that stands for EOB. */
export const FAST_EOB = 255;

/** Marker value meaning "the bytes ended" (no marker seen). */
export const END_OF_DATA = 0x100;

/**
 * Bit reader over one scan's entropy-coded data. Byte stuffing (FF 00) is removed; at a marker or at the end of
 * the input it supplies zero bits, as libjpeg does, and counts them in `pad` so the caller can tell whether real
 * data ran out (`bits < pad`: some of the consumed bits were padding).
 */
export class BitReader {
  data: Uint8Array;
  pos: number;
  /** Up to 32 bits, right-aligned: the next unread bit is bit `bits - 1`. */
  acc = 0;
  bits = 0;
  /** Zero bits appended after a marker or the end of the data (they sit at the bottom of `acc`). */
  pad = 0;
  /** 0 while reading data; the marker code (0xD0..0xFE) that stopped the reader, or END_OF_DATA. */
  marker = 0;

  constructor(data: Uint8Array, pos: number) {
    this.data = data;
    this.pos = pos;
  }

  /** Tops the buffer up to at least 25 bits. */
  fill(): void {
    const data = this.data;
    const end = data.length;
    let { acc, bits, pos } = this;
    while (bits <= 24) {
      let b = 0;
      if (this.marker === 0) {
        if (pos >= end) {
          this.marker = END_OF_DATA;
        } else {
          b = data[pos];
          if (b !== 0xff) {
            pos++;
          } else {
            // FF FF ... 00 is a stuffed FF (libjpeg accepts repeated FFs); FF FF ... xx is marker xx.
            let q = pos + 1;
            while (q < end && data[q] === 0xff) q++;
            if (q < end && data[q] === 0) {
              pos = q + 1;
            } else {
              this.marker = q < end ? data[q] : END_OF_DATA;
              b = 0;
            }
          }
        }
      }
      if (this.marker !== 0) this.pad += 8;
      acc = (acc << 8) | b;
      bits += 8;
    }
    this.acc = acc;
    this.bits = bits;
    this.pos = pos;
  }

  /** Reads `n` (0..16) raw bits. */
  getBits(n: number): number {
    if (this.bits < n) this.fill();
    this.bits -= n;
    return (this.acc >>> this.bits) & ((1 << n) - 1);
  }

  /** Decodes one Huffman symbol. */
  decode(t: HuffmanTable): number {
    if (this.bits < 16) this.fill();
    const e = t.lookup[(this.acc >>> (this.bits - LOOKAHEAD)) & (LOOK_SIZE - 1)];
    if (e !== 0) {
      this.bits -= e >> 8;
      return e & 255;
    }
    return decodeSlow(this, t);
  }

  /** Drops buffered bits at a restart boundary or the end of a scan; zero bits that were never used do not count. */
  reset(): void {
    this.acc = 0;
    this.bits = 0;
    this.pad = 0;
  }

  /** True when the consumed bits include padding, i.e. the real data ended inside what was decoded. */
  get exhausted(): boolean {
    return this.bits < this.pad;
  }
}

/**
 * Codes longer than LOOKAHEAD bits (needs bits >= 16 on entry). A code that matches nothing is corrupt data,
 * unless it runs into the zero padding after the data ended: then the reader is marked exhausted (all bits
 * consumed) and symbol 0 returned, so the scan driver applies the truncation rule instead.
 */
export function decodeSlow(r: BitReader, t: HuffmanTable): number {
  const peek = (r.acc >>> (r.bits - 16)) & 0xffff;
  const maxcode = t.maxcode;
  for (let l = LOOKAHEAD + 1; l <= 16; l++) {
    const code = peek >>> (16 - l);
    if (code <= maxcode[l]) {
      r.bits -= l;
      return t.values[code + t.valoffset[l]];
    }
  }
  if (r.bits - 16 >= r.pad) corrupt('bad Huffman code');
  r.bits = 0;
  return 0;
}

/** Sign-extends `v`, an s-bit magnitude category value (T.81 F.12). */
export function extend(v: number, s: number): number {
  return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
}
