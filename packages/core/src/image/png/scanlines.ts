/**
 * Scanline assembly and unfiltering (PNG filter types 0-4) over inflated data arriving in arbitrary pieces, plus the
 * Adam7 pass geometry. Holds two scanlines at a time: memory is O(width).
 */
import { ImageInputError } from '../../errors.js';

/** One sub-image of the stream: the whole image, or one Adam7 pass. */
export interface Pass {
  width: number;
  height: number;
  /** Where the pass's pixels land in the full image: x = x0 + i * dx, y = y0 + j * dy. */
  x0: number;
  y0: number;
  dx: number;
  dy: number;
}

const ADAM7: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/**
 * The sub-images stored in the data stream, in order (one for non-interlaced images; the non-empty Adam7 passes
 * otherwise).
 *
 * @example
 * ```ts
 * passes({ width: 5, height: 3, interlaced: true }).map((p) => `${p.width}x${p.height}`); // ['1x1', '1x1', '1x1', ...]
 * ```
 */
export function passes(o: { width: number; height: number; interlaced: boolean }): Pass[] {
  if (!o.interlaced) return [{ width: o.width, height: o.height, x0: 0, y0: 0, dx: 1, dy: 1 }];
  const out: Pass[] = [];
  for (const [x0, y0, dx, dy] of ADAM7) {
    const width = Math.ceil((o.width - x0) / dx);
    const height = Math.ceil((o.height - y0) / dy);
    if (width > 0 && height > 0) out.push({ width, height, x0, y0, dx, dy });
  }
  return out;
}

/** Bytes of one scanline without its filter byte. */
export function rowBytes(width: number, bitsPerPixel: number): number {
  return Math.ceil((width * bitsPerPixel) / 8);
}

/**
 * Total inflated bytes a PNG of this geometry holds: per pass, one filter byte plus the packed samples per row.
 *
 * @example
 * ```ts
 * expectedBytes({ width: 100, height: 100, interlaced: false }, 32); // 40100
 * ```
 */
export function expectedBytes(o: { width: number; height: number; interlaced: boolean }, bitsPerPixel: number): number {
  let n = 0;
  for (const p of passes(o)) n += p.height * (1 + rowBytes(p.width, bitsPerPixel));
  return n;
}

function unfilter(filter: number, cur: Uint8Array, prev: Uint8Array, bpp: number, n: number): void {
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let i = bpp; i < n; i++) cur[i] = (cur[i] + cur[i - bpp]) & 0xff;
      return;
    case 2:
      for (let i = 0; i < n; i++) cur[i] = (cur[i] + prev[i]) & 0xff;
      return;
    case 3:
      for (let i = 0; i < bpp; i++) cur[i] = (cur[i] + (prev[i] >> 1)) & 0xff;
      for (let i = bpp; i < n; i++) cur[i] = (cur[i] + ((cur[i - bpp] + prev[i]) >> 1)) & 0xff;
      return;
    case 4:
      for (let i = 0; i < bpp; i++) cur[i] = (cur[i] + prev[i]) & 0xff;
      for (let i = bpp; i < n; i++) {
        const a = cur[i - bpp];
        const b = prev[i];
        const c = prev[i - bpp];
        const p = a + b - c;
        const pa = p > a ? p - a : a - p;
        const pb = p > b ? p - b : b - p;
        const pc = p > c ? p - c : c - p;
        cur[i] = (cur[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
      return;
    default:
      throw new ImageInputError('IMAGE_DECODE_FAILED', `The png data is corrupt (filter type ${filter}).`, { details: { format: 'png', reason: 'filter' } });
  }
}

/**
 * Receives inflated bytes in any split, and calls `onLine(line, pass, row)` with each unfiltered scanline (the array
 * is reused). `bytesWanted` says how many more bytes complete the image (0 when done).
 *
 * @example
 * ```ts
 * const s = new ScanlineReader({ passes: passes(png), bitsPerPixel: 24, onLine: (line, p, y) => use(line) });
 * s.push(inflatedChunk);
 * ```
 */
export class ScanlineReader {
  private readonly list: Pass[];
  private readonly bpp: number;
  private readonly bits: number;
  private readonly onLine: (line: Uint8Array, pass: Pass, row: number) => void;
  private cur: Uint8Array;
  private prev: Uint8Array;
  private pass = 0;
  private row = 0;
  private fill = -1; // -1: waiting for the filter byte
  private filter = 0;
  private len: number;
  bytesWanted: number;

  constructor(o: { passes: Pass[]; bitsPerPixel: number; onLine: (line: Uint8Array, pass: Pass, row: number) => void }) {
    this.list = o.passes;
    this.bits = o.bitsPerPixel;
    this.bpp = Math.max(1, o.bitsPerPixel >> 3);
    this.onLine = o.onLine;
    const widest = Math.max(...o.passes.map((p) => rowBytes(p.width, o.bitsPerPixel)));
    this.cur = new Uint8Array(widest);
    this.prev = new Uint8Array(widest);
    this.len = rowBytes(o.passes[0].width, o.bitsPerPixel);
    this.bytesWanted = o.passes.reduce((n, p) => n + p.height * (1 + rowBytes(p.width, o.bitsPerPixel)), 0);
  }

  /** Consumes as much of `chunk` as the image needs; returns how many bytes were surplus. */
  push(chunk: Uint8Array): number {
    let i = 0;
    const n = chunk.length;
    while (i < n && this.bytesWanted > 0) {
      if (this.fill < 0) {
        this.filter = chunk[i++];
        this.fill = 0;
        this.bytesWanted--;
        continue;
      }
      const take = Math.min(this.len - this.fill, n - i);
      this.cur.set(chunk.subarray(i, i + take), this.fill);
      this.fill += take;
      i += take;
      this.bytesWanted -= take;
      if (this.fill === this.len) this.finishLine();
    }
    return n - i;
  }

  private finishLine(): void {
    const p = this.list[this.pass];
    unfilter(this.filter, this.cur, this.prev, this.bpp, this.len);
    this.onLine(this.cur.subarray(0, this.len), p, this.row);
    const t = this.prev;
    this.prev = this.cur;
    this.cur = t;
    this.fill = -1;
    if (++this.row === p.height && this.pass + 1 < this.list.length) {
      this.pass++;
      this.row = 0;
      this.len = rowBytes(this.list[this.pass].width, this.bits);
      this.prev.fill(0); // each pass starts with an all-zero previous line
    }
  }
}
