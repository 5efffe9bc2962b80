/**
 * Output stage: per-component sample rows (ring buffers holding three iMCU rows) -> upsampling -> colour
 * conversion -> RGBA rows, one iMCU row behind the entropy decoder so the fancy upsamplers have the row below.
 * Memory is O(width): the ring buffers plus one upsampled row per component (and the caller's RGBA target).
 */
import { cmykRow, grayRow, rgbRow, yccRow, type ColorTransform } from './color.js';
import type { Frame } from './markers.js';
import { chooseUpsample, h1v2Fancy, h2v1Fancy, h2v2Fancy, replicate, type UpsampleMethod } from './upsample.js';
import { unsupported } from './errors.js';

export type DctSize = 1 | 2 | 4 | 8;

/** Per-component geometry after DCT scaling (libjpeg's jdmaster.c choices). */
export interface ComponentPlan {
  /** IDCT output size: 8 / scale, or larger for subsampled chroma (libjpeg scales chroma up in the IDCT). */
  ds: DctSize;
  /** Bytes per plane row (blocksPerLine * ds) and sample rows per iMCU row (v * ds). */
  stride: number;
  rowsPerImcu: number;
  ringRows: number;
  plane: Uint8Array;
  /** libjpeg's downsampled_width/height: samples holding image data; edge filtering stops there. */
  width: number;
  height: number;
  hExpand: number;
  vExpand: number;
  method: UpsampleMethod;
  row: Uint8Array;
}

export interface OutputPlan {
  outWidth: number;
  outHeight: number;
  /** Output rows per iMCU row (maxV * 8 / scale). */
  rowsPerImcu: number;
  comps: ComponentPlan[];
}

/**
 * Output size and per-component IDCT sizes for 1/scale decoding, as libjpeg-turbo's jpeg_calc_output_dimensions:
 * a component gets a 2x larger IDCT as long as its sampling factors leave room, so 4:2:0 chroma at 1/2 is
 * decoded by a full 8x8 IDCT and needs no upsampling.
 */
export function planOutput(frame: Frame, scale: 1 | 2 | 4 | 8): OutputPlan {
  const dsMin = 8 / scale;
  const { maxH, maxV, width: W, height: H } = frame;
  const comps = frame.components.map((c): ComponentPlan => {
    let ds = dsMin;
    while (ds < 8 && (maxH * dsMin) % (c.h * ds * 2) === 0 && (maxV * dsMin) % (c.v * ds * 2) === 0) ds *= 2;
    const hIn = (c.h * ds) / dsMin;
    const vIn = (c.v * ds) / dsMin;
    if (maxH % hIn || maxV % vIn) unsupported(`fractional sampling ratio ${c.h}x${c.v} in a ${maxH}x${maxV} frame`, 'fractional-sampling');
    const hExpand = maxH / hIn;
    const vExpand = maxV / vIn;
    const width = Math.ceil((W * c.h * ds) / (maxH * 8));
    const height = Math.ceil((H * c.v * ds) / (maxV * 8));
    const stride = c.blocksPerLine * ds;
    const rowsPerImcu = c.v * ds;
    const method = chooseUpsample(hExpand, vExpand, dsMin > 1, width);
    return {
      ds: ds as DctSize, stride, rowsPerImcu, ringRows: 3 * rowsPerImcu, plane: new Uint8Array(0), width, height,
      hExpand, vExpand, method, row: new Uint8Array(0),
    };
  });
  return { outWidth: Math.ceil((W * dsMin) / 8), outHeight: Math.ceil((H * dsMin) / 8), rowsPerImcu: maxV * dsMin, comps };
}

/** Where finished RGBA rows go. */
export interface RowSink {
  /** Returns the buffer and byte offset for output row y (rows of one iMCU row are contiguous). */
  row(y: number): [Uint8Array, number];
  /** Called after rows y0..y0+n-1 are written. */
  done(y0: number, n: number): void;
}

export class OutputStage {
  readonly plan: OutputPlan;
  private readonly transform: ColorTransform;
  private readonly sink: RowSink;
  private emittedImcu = 0;
  private readonly src: Uint8Array[] = [];
  private readonly off: number[] = [];

  constructor(plan: OutputPlan, transform: ColorTransform, sink: RowSink) {
    this.plan = plan;
    this.transform = transform;
    this.sink = sink;
    for (const c of plan.comps) {
      c.plane = new Uint8Array(c.stride * c.ringRows);
      if (c.method !== 'full') c.row = new Uint8Array(plan.outWidth + 2 * c.hExpand + 16);
    }
  }

  /** Byte offset in comp's plane of its sample row `r` (absolute row index). */
  rowOffset(ci: number, r: number): number {
    const c = this.plan.comps[ci];
    return (r % c.ringRows) * c.stride;
  }

  /** iMCU row m is fully in the planes: emit everything that no longer needs a later row. */
  imcuDone(m: number): void {
    while (this.emittedImcu < m) this.emit(this.emittedImcu++);
  }

  /** All iMCU rows are in: emit the rest. */
  finish(imcuRows: number): void {
    while (this.emittedImcu < imcuRows) this.emit(this.emittedImcu++);
  }

  private emit(m: number): void {
    const { outWidth, outHeight, rowsPerImcu, comps } = this.plan;
    const y0 = m * rowsPerImcu;
    const y1 = Math.min(y0 + rowsPerImcu, outHeight);
    for (let y = y0; y < y1; y++) {
      for (let ci = 0; ci < comps.length; ci++) this.componentRow(ci, y);
      const [out, o] = this.sink.row(y);
      const s = this.src;
      const f = this.off;
      switch (this.transform) {
        case 'gray':
          grayRow(s[0], f[0], out, o, outWidth);
          break;
        case 'ycc':
          yccRow(s[0], f[0], s[1], f[1], s[2], f[2], out, o, outWidth);
          break;
        case 'rgb':
          rgbRow(s[0], f[0], s[1], f[1], s[2], f[2], out, o, outWidth);
          break;
        default:
          cmykRow(s[0], f[0], s[1], f[1], s[2], f[2], s[3], f[3], this.transform === 'ycck', out, o, outWidth);
      }
    }
    if (y1 > y0) this.sink.done(y0, y1 - y0);
  }

  /** Puts component ci's full-size samples for output row y at src[ci], off[ci]. */
  private componentRow(ci: number, y: number): void {
    const c = this.plan.comps[ci];
    const ring = c.ringRows;
    const stride = c.stride;
    if (c.method === 'full') {
      this.src[ci] = c.plane;
      this.off[ci] = (y % ring) * stride;
      return;
    }
    this.src[ci] = c.row;
    this.off[ci] = 0;
    if (c.method === 'h2v1-fancy') {
      h2v1Fancy(c.plane, (y % ring) * stride, c.width, c.row);
    } else if (c.method === 'replicate') {
      const r = Math.floor(y / c.vExpand);
      replicate(c.plane, (r % ring) * stride, c.hExpand, this.plan.outWidth, c.row);
    } else {
      // Vertical triangle filter: the nearer input row and the next-nearer one (above for even output rows),
      // clamped to the rows that hold image data, as libjpeg's context rows are.
      const near = y >> 1;
      let far = y & 1 ? near + 1 : near - 1;
      if (far < 0) far = 0;
      if (far >= c.height) far = c.height - 1;
      const a = (near % ring) * stride;
      const b = (far % ring) * stride;
      if (c.method === 'h1v2-fancy') h1v2Fancy(c.plane, a, b, c.width, y & 1 ? 2 : 1, c.row);
      else h2v2Fancy(c.plane, a, b, c.width, c.row);
    }
  }
}
