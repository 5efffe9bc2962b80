/**
 * JPEG marker segments (ITU T.81 Annex B): frame and scan headers, quantisation and Huffman tables, restart
 * interval, JFIF/Adobe/EXIF application markers. Everything here is bounded by the segment lengths; nothing is
 * allocated in proportion to the declared image size.
 */
import { corrupt, unsupported } from './errors.js';
import { buildHuffmanTable, type HuffmanTable } from './huffman.js';

/** Zigzag index -> natural (row-major) index, plus 16 guard entries like libjpeg's jpeg_natural_order. */
export const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
]);

export interface FrameComponent {
  /** Position in the frame (0-based). */
  index: number;
  id: number;
  h: number;
  v: number;
  /** Quantisation table selector from the frame header. */
  tq: number;
  /** Blocks that hold image data: ceil(width * h / (maxH * 8)), likewise for height. */
  widthInBlocks: number;
  heightInBlocks: number;
  /** Blocks per row / column of the MCU grid (>= the above; interleaved scans code the padding blocks too). */
  blocksPerLine: number;
  blocksPerColumn: number;
}

export interface Frame {
  width: number;
  height: number;
  progressive: boolean;
  components: FrameComponent[];
  maxH: number;
  maxV: number;
  /** MCUs per row of an interleaved scan, and iMCU rows (each maxV * 8 pixel rows high). */
  mcusPerLine: number;
  imcuRows: number;
}

export interface ScanHeader {
  components: FrameComponent[];
  dcTables: HuffmanTable[];
  acTables: HuffmanTable[];
  ss: number;
  se: number;
  ah: number;
  al: number;
}

/** Decoder state collected from the marker segments seen so far. */
export interface JpegState {
  bytes: Uint8Array;
  frame: Frame | null;
  /** Quantisation tables in natural order. */
  quant: (Uint16Array | null)[];
  dc: (HuffmanTable | null)[];
  ac: (HuffmanTable | null)[];
  restartInterval: number;
  jfif: boolean;
  /** APP14 "Adobe" transform flag (0 none/CMYK/RGB, 1 YCbCr, 2 YCCK), or -1 without that marker. */
  adobeTransform: number;
  /** EXIF orientation 1..8 from APP1, 1 when absent or unreadable. */
  orientation: number;
}

export type MarkerStop =
  | { kind: 'sos'; scan: ScanHeader; pos: number }
  | { kind: 'eoi'; pos: number }
  | { kind: 'end'; pos: number };

export function newState(bytes: Uint8Array): JpegState {
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== 0xd8) corrupt('no SOI marker at the start');
  return { bytes, frame: null, quant: [null, null, null, null], dc: [null, null, null, null], ac: [null, null, null, null], restartInterval: 0, jfif: false, adobeTransform: -1, orientation: 1 };
}

const SOF_UNSUPPORTED: Record<number, [string, string]> = {
  0xc3: ['lossless (SOF3)', 'lossless'],
  0xc5: ['hierarchical (SOF5)', 'hierarchical'],
  0xc6: ['hierarchical progressive (SOF6)', 'hierarchical'],
  0xc7: ['hierarchical lossless (SOF7)', 'hierarchical'],
  0xc8: ['JPEG extension (JPG marker)', 'extension'],
  0xc9: ['arithmetic coding (SOF9)', 'arithmetic-coding'],
  0xca: ['arithmetic coding, progressive (SOF10)', 'arithmetic-coding'],
  0xcb: ['arithmetic coding, lossless (SOF11)', 'arithmetic-coding'],
  0xcc: ['arithmetic coding (DAC marker)', 'arithmetic-coding'],
  0xcd: ['arithmetic coding, hierarchical (SOF13)', 'arithmetic-coding'],
  0xce: ['arithmetic coding, hierarchical progressive (SOF14)', 'arithmetic-coding'],
  0xcf: ['arithmetic coding, hierarchical lossless (SOF15)', 'arithmetic-coding'],
  0xf7: ['JPEG-LS (SOF55)', 'jpeg-ls'],
};

/**
 * Reads marker segments from `pos` (which points at or before an FF) until SOS, EOI or the end of the data,
 * updating `st`. Junk bytes between segments are skipped, as libjpeg does.
 */
export function readMarkers(st: JpegState, pos: number): MarkerStop {
  const b = st.bytes;
  const n = b.length;
  for (;;) {
    // Find the next marker: skip anything that is not FF, then fill FFs.
    while (pos < n && b[pos] !== 0xff) pos++;
    while (pos < n && b[pos] === 0xff) pos++;
    if (pos >= n) return { kind: 'end', pos: n };
    const m = b[pos++];
    if (m === 0) continue; // stuffed FF 00 outside a scan: junk
    if (m === 0xd9) return { kind: 'eoi', pos };
    if ((m >= 0xd0 && m <= 0xd7) || m === 0x01) continue; // parameterless
    if (m === 0xd8) corrupt('a second SOI marker');
    if (pos + 2 > n) return { kind: 'end', pos: n };
    const len = (b[pos] << 8) | b[pos + 1];
    if (len < 2) corrupt(`marker FF${hex(m)} has length ${len}`);
    const start = pos + 2;
    const end = pos + len;
    if (end > n) return { kind: 'end', pos: n };
    if (m === 0xc0 || m === 0xc1 || m === 0xc2) readSof(st, m, start, end);
    else if (m in SOF_UNSUPPORTED) unsupported(SOF_UNSUPPORTED[m][0], SOF_UNSUPPORTED[m][1]);
    else if (m === 0xc4) readDht(st, start, end);
    else if (m === 0xdb) readDqt(st, start, end);
    else if (m === 0xdd) {
      if (len !== 4) corrupt('bad DRI length');
      st.restartInterval = (b[start] << 8) | b[start + 1];
    } else if (m === 0xda) {
      return { kind: 'sos', scan: readSos(st, start, end), pos: end };
    } else if (m === 0xe0) readApp0(st, start, end);
    else if (m === 0xe1) readExif(st, start, end);
    else if (m === 0xee) readApp14(st, start, end);
    else if (!((m >= 0xe0 && m <= 0xef) || m === 0xfe || m === 0xdc || (m >= 0xf0 && m <= 0xfd))) {
      corrupt(`unknown marker FF${hex(m)}`);
    }
    pos = end;
  }
}

function hex(m: number): string {
  return m.toString(16).toUpperCase().padStart(2, '0');
}

function readSof(st: JpegState, m: number, p: number, end: number): void {
  const b = st.bytes;
  if (st.frame) corrupt('a second frame header (SOF)');
  if (end - p < 6) corrupt('short SOF segment');
  const precision = b[p];
  const height = (b[p + 1] << 8) | b[p + 2];
  const width = (b[p + 3] << 8) | b[p + 4];
  const nc = b[p + 5];
  if (precision !== 8) unsupported(`${precision}-bit samples (only 8-bit JPEG is supported)`, `precision-${precision}`);
  if (height === 0) unsupported('height 0 in the frame header (DNL marker)', 'dnl');
  if (width === 0) corrupt('width 0 in the frame header');
  if (nc !== 1 && nc !== 3 && nc !== 4) unsupported(`${nc} colour components (1, 3 or 4 are supported)`, `components-${nc}`);
  if (end - p !== 6 + 3 * nc) corrupt('bad SOF length');
  const comps: FrameComponent[] = [];
  let maxH = 1;
  let maxV = 1;
  for (let i = 0; i < nc; i++) {
    const q = p + 6 + 3 * i;
    const h = b[q + 1] >> 4;
    const v = b[q + 1] & 15;
    const tq = b[q + 2];
    if (h < 1 || h > 4 || v < 1 || v > 4) corrupt(`bad sampling factors ${h}x${v}`);
    if (tq > 3) corrupt(`bad quantisation table selector ${tq}`);
    maxH = Math.max(maxH, h);
    maxV = Math.max(maxV, v);
    comps.push({ index: i, id: b[q], h, v, tq, widthInBlocks: 0, heightInBlocks: 0, blocksPerLine: 0, blocksPerColumn: 0 });
  }
  const mcusPerLine = Math.ceil(width / (8 * maxH));
  const imcuRows = Math.ceil(height / (8 * maxV));
  for (const c of comps) {
    c.widthInBlocks = Math.ceil((width * c.h) / (8 * maxH));
    c.heightInBlocks = Math.ceil((height * c.v) / (8 * maxV));
    c.blocksPerLine = mcusPerLine * c.h;
    c.blocksPerColumn = imcuRows * c.v;
  }
  st.frame = { width, height, progressive: m === 0xc2, components: comps, maxH, maxV, mcusPerLine, imcuRows };
}

function readDqt(st: JpegState, p: number, end: number): void {
  const b = st.bytes;
  while (p < end) {
    const pq = b[p] >> 4;
    const tq = b[p] & 15;
    const size = pq ? 128 : 64;
    if (pq > 1 || tq > 3) corrupt('bad DQT table header');
    if (p + 1 + size > end) corrupt('short DQT segment');
    const t = new Uint16Array(64);
    for (let k = 0; k < 64; k++) t[ZIGZAG[k]] = pq ? (b[p + 1 + 2 * k] << 8) | b[p + 2 + 2 * k] : b[p + 1 + k];
    st.quant[tq] = t;
    p += 1 + size;
  }
}

function readDht(st: JpegState, p: number, end: number): void {
  const b = st.bytes;
  while (p < end) {
    if (p + 17 > end) corrupt('short DHT segment');
    const tc = b[p] >> 4;
    const th = b[p] & 15;
    if (tc > 1 || th > 3) corrupt('bad DHT table header');
    const counts = b.subarray(p + 1, p + 17);
    let total = 0;
    for (let i = 0; i < 16; i++) total += counts[i];
    if (total > 256 || p + 17 + total > end) corrupt('bad DHT symbol count');
    const table = buildHuffmanTable(counts, b.slice(p + 17, p + 17 + total), tc === 0);
    (tc === 0 ? st.dc : st.ac)[th] = table;
    p += 17 + total;
  }
}

function readSos(st: JpegState, p: number, end: number): ScanHeader {
  const b = st.bytes;
  const frame = st.frame;
  if (!frame) corrupt('scan (SOS) before the frame header (SOF)');
  const ns = b[p];
  if (ns < 1 || ns > 4 || end - p !== 4 + 2 * ns) corrupt('bad SOS length');
  const components: FrameComponent[] = [];
  const dcTables: HuffmanTable[] = [];
  const acTables: HuffmanTable[] = [];
  const ss = b[p + 1 + 2 * ns];
  const se = b[p + 2 + 2 * ns];
  const ah = b[p + 3 + 2 * ns] >> 4;
  const al = b[p + 3 + 2 * ns] & 15;
  for (let i = 0; i < ns; i++) {
    const id = b[p + 1 + 2 * i];
    const sel = b[p + 2 + 2 * i];
    // Like libjpeg: the first frame component with this id not already in the scan (tolerates duplicate ids).
    const c = frame.components.find((fc) => fc.id === id && !components.includes(fc));
    if (!c) corrupt(`scan names unknown or repeated component ${id}`);
    components.push(c);
    // Only the tables this scan will use must exist (DC refinement and AC-only scans need one kind).
    const needDc = !frame.progressive || (ss === 0 && ah === 0);
    const needAc = !frame.progressive || ss > 0;
    const dc = st.dc[sel >> 4];
    const ac = st.ac[sel & 15];
    if (needDc && !dc) corrupt(`missing DC Huffman table ${sel >> 4}`);
    if (needAc && !ac) corrupt(`missing AC Huffman table ${sel & 15}`);
    dcTables.push(dc!);
    acTables.push(ac!);
  }
  return { components, dcTables, acTables, ss, se, ah, al };
}

function readApp0(st: JpegState, p: number, end: number): void {
  const b = st.bytes;
  // libjpeg looks at the first 14 bytes: "JFIF\0" + version, units, density, thumbnail size.
  if (end - p >= 14 && b[p] === 0x4a && b[p + 1] === 0x46 && b[p + 2] === 0x49 && b[p + 3] === 0x46 && b[p + 4] === 0) st.jfif = true;
}

function readApp14(st: JpegState, p: number, end: number): void {
  const b = st.bytes;
  if (end - p >= 12 && b[p] === 0x41 && b[p + 1] === 0x64 && b[p + 2] === 0x6f && b[p + 3] === 0x62 && b[p + 4] === 0x65) {
    st.adobeTransform = b[p + 11];
  }
}

/** EXIF orientation (tag 0x0112 in IFD0), bounds-checked; anything malformed leaves orientation at 1. */
function readExif(st: JpegState, p: number, end: number): void {
  const b = st.bytes;
  if (end - p < 14 || b[p] !== 0x45 || b[p + 1] !== 0x78 || b[p + 2] !== 0x69 || b[p + 3] !== 0x66 || b[p + 4] || b[p + 5]) return;
  const t = p + 6;
  const le = b[t] === 0x49 && b[t + 1] === 0x49;
  if (!le && !(b[t] === 0x4d && b[t + 1] === 0x4d)) return;
  const u16 = (o: number): number => (le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1]);
  const u32 = (o: number): number => (le ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 2 ** 24 : b[o] * 2 ** 24 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]));
  const ifd = t + u32(t + 4);
  if (ifd + 2 > end) return;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + 12 * i;
    if (e + 12 > end) return;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      if (u16(e + 2) === 3 && v >= 1 && v <= 8) st.orientation = v;
      return;
    }
  }
}
