/**
 * Own JPEG decoder: output identical to libjpeg-turbo's default decode (what Pillow and browsers produce), with
 * DCT-domain downscaling (1/2, 1/4, 1/8) and a row-streaming variant. See README.md.
 */
import { colorTransform, type ColorTransform } from './color.js';
import { corrupt } from './errors.js';
import { DEFAULT_JPEG_MAX_PIXELS, MAX_BLOCK_VISITS, MAX_SCANS, runDecode, type DecodeResult } from './decoder.js';
import { newState, readMarkers } from './markers.js';
import type { RowSink } from './output.js';

export { DEFAULT_JPEG_MAX_PIXELS, MAX_BLOCK_VISITS, MAX_SCANS };
export type { ColorTransform, DecodeResult as JpegDecodeResult };

/** DCT scaling denominator: the output is ceil(width / scaleDenom) x ceil(height / scaleDenom). */
export type JpegScale = 1 | 2 | 4 | 8;

export interface JpegHeader {
  width: number;
  height: number;
  /** 1 (grey), 3 (YCbCr or RGB) or 4 (CMYK or YCCK). */
  components: number;
  progressive: boolean;
  /** '4:4:4', '4:2:2', '4:2:0', '4:4:0', '4:1:1', '4:1:0', '4:0:0' (grey), or the raw factors ('2x2,1x2,1x1'). */
  subsampling: string;
  /** APP14 Adobe transform flag (0, 1, 2), or null without an Adobe marker. */
  adobeTransform: number | null;
  /** How components become RGB (libjpeg's guess from JFIF/Adobe markers and component ids). */
  colorTransform: ColorTransform;
  /** EXIF orientation 1..8 (1 when absent). Not applied by the decoder. */
  orientation: number;
}

export interface DecodeJpegOptions {
  /** Decode at 1/scaleDenom size in the DCT domain (libjpeg's scale_denom). Default 1. */
  scaleDenom?: JpegScale;
  /** Refuse (IMAGE_TOO_LARGE) when the header's width * height exceeds this, before allocating. Default 50 MP. */
  maxPixels?: number;
}

export interface JpegImage {
  width: number;
  height: number;
  /** RGBA, alpha 255, width * height * 4 bytes. */
  data: Uint8Array;
  /**
   * Data was missing but within what is tolerated (README: "Truncated and corrupt data"): a sequential file cut
   * inside its last MCU row (the rest is filled as libjpeg fills it), or a progressive / multi-scan file that ends
   * before EOI. A baseline file missing only its EOI marker is complete: false.
   */
  truncated: boolean;
}

/** One batch of finished rows from {@link decodeJpegRows}. */
export interface JpegRows {
  /** First row index and number of rows in `data`. */
  y: number;
  rows: number;
  /** Output width and height (after scaling). */
  width: number;
  height: number;
  /** RGBA for rows y..y+rows-1; the buffer is reused for the next batch, so copy what you keep. */
  data: Uint8Array;
}

export interface DecodeJpegRowsOptions extends DecodeJpegOptions {
  /** Receives the image top to bottom, one iMCU row (8 to 32 rows at full size) per call. */
  onRows: (rows: JpegRows) => void;
}

function asBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

const NAMES: Record<string, string> = { '1x1': '4:4:4', '2x1': '4:2:2', '2x2': '4:2:0', '1x2': '4:4:0', '4x1': '4:1:1', '4x2': '4:1:0' };

/**
 * Reads the headers up to the first scan: size, layout, colour handling and EXIF orientation. Allocates nothing
 * in proportion to the image size. Throws IMAGE_DECODE_FAILED (no frame header) or UNSUPPORTED_IMAGE_FORMAT
 * (12-bit, arithmetic-coded, lossless, hierarchical).
 *
 * @example
 * ```ts
 * const h = readJpegHeader(bytes); // { width: 4032, height: 3024, subsampling: '4:2:0', orientation: 6, ... }
 * const scale = pickJpegScale({ width: h.width, height: h.height, minWidth: 448, minHeight: 448 }); // 4
 * ```
 */
export function readJpegHeader(input: Uint8Array | ArrayBuffer): JpegHeader {
  const st = newState(asBytes(input));
  readMarkers(st, 2);
  const f = st.frame;
  if (!f) corrupt('no frame header (SOF)');
  const c = f.components;
  let subsampling = c.map((x) => `${x.h}x${x.v}`).join(',');
  if (c.length === 1) subsampling = '4:0:0';
  else if (c.slice(1).every((x) => x.h === c[1].h && x.v === c[1].v) && c[0].h % c[1].h === 0 && c[0].v % c[1].v === 0) {
    subsampling = NAMES[`${c[0].h / c[1].h}x${c[0].v / c[1].v}`] ?? subsampling;
  }
  return {
    width: f.width, height: f.height, components: c.length, progressive: f.progressive, subsampling,
    adobeTransform: st.adobeTransform >= 0 ? st.adobeTransform : null, colorTransform: colorTransform(st), orientation: st.orientation,
  };
}

/**
 * Decodes a baseline, extended or progressive (Huffman, 8-bit) JPEG to RGBA, optionally scaled down by 2, 4 or
 * 8 in the DCT domain. Output is identical to libjpeg-turbo's default decode (Pillow's `Image.open(...)`, and
 * `Image.draft('RGB', size)` for the scaled sizes). EXIF orientation is not applied.
 *
 * Errors (ImageInputError): IMAGE_TOO_LARGE (header over `maxPixels`, before allocation), IMAGE_DECODE_FAILED
 * (corrupt, or truncated beyond what is tolerated), UNSUPPORTED_IMAGE_FORMAT (12-bit, arithmetic, lossless).
 *
 * @example
 * ```ts
 * const img = decodeJpeg(bytes, { scaleDenom: 8, maxPixels: 48_000_000 }); // 4032x3024 -> 504x378
 * img.data.length === img.width * img.height * 4; // RGBA
 * ```
 */
export function decodeJpeg(input: Uint8Array | ArrayBuffer, options: DecodeJpegOptions = {}): JpegImage {
  let data = new Uint8Array(0);
  let rowBytes = 0;
  const r = runDecode(asBytes(input), options, (plan) => {
    rowBytes = plan.outWidth * 4;
    // Allocated at the first finished rows, not before: a header whose data runs out early costs no image buffer.
    return {
      row: (y) => {
        if (data.length === 0) data = new Uint8Array(rowBytes * plan.outHeight);
        return [data, y * rowBytes];
      },
      done: () => {},
    };
  });
  if (data.length === 0) data = new Uint8Array(rowBytes * r.height);
  return { width: r.width, height: r.height, data, truncated: r.truncated };
}

/**
 * Like {@link decodeJpeg} but hands the image over in batches of rows instead of building it, so a caller can
 * resize while decoding with memory O(width) (baseline files) plus the coefficient store (progressive files).
 *
 * @example
 * ```ts
 * const { width, height } = decodeJpegRows(bytes, {
 *   scaleDenom: 4,
 *   onRows: ({ y, rows, data }) => resizer.push(data, y, rows), // copy: `data` is reused
 * });
 * ```
 */
export function decodeJpegRows(input: Uint8Array | ArrayBuffer, options: DecodeJpegRowsOptions): DecodeResult {
  const { onRows, ...setup } = options;
  return runDecode(asBytes(input), setup, (plan): RowSink => {
    const rowBytes = plan.outWidth * 4;
    let strip = new Uint8Array(0);
    return {
      row: (y) => {
        if (strip.length === 0) strip = new Uint8Array(rowBytes * plan.rowsPerImcu);
        return [strip, (y % plan.rowsPerImcu) * rowBytes];
      },
      done: (y, rows) => onRows({ y, rows, width: plan.outWidth, height: plan.outHeight, data: strip.subarray(0, rows * rowBytes) }),
    };
  });
}

/** Output size of a 1/scaleDenom decode (libjpeg rounds up). */
export function jpegScaledSize(width: number, height: number, scaleDenom: JpegScale): { width: number; height: number } {
  return { width: Math.ceil(width / scaleDenom), height: Math.ceil(height / scaleDenom) };
}

/**
 * The largest DCT scale (8, 4, 2, 1) whose output is still at least minWidth x minHeight.
 *
 * @example
 * ```ts
 * pickJpegScale({ width: 4032, height: 3024, minWidth: 448, minHeight: 448 }); // 4 (1008x756; 1/8 gives 504x378)
 * ```
 */
export function pickJpegScale(o: { width: number; height: number; minWidth: number; minHeight: number }): JpegScale {
  for (const s of [8, 4, 2] as const) {
    const out = jpegScaledSize(o.width, o.height, s);
    if (out.width >= o.minWidth && out.height >= o.minHeight) return s;
  }
  return 1;
}
