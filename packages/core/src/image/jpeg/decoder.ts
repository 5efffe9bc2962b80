/**
 * The decode driver: headers -> size checks -> either the streaming path (single-scan sequential files: MCU rows
 * go straight through IDCT, upsampling and colour conversion) or the buffered path (progressive and multi-scan
 * files: all scans into a coefficient store sized for the chosen scale, then the same output stage).
 */
import { ImageInputError, ResNetEdgeError } from '../../errors.js';
import { colorTransform } from './color.js';
import { corrupt } from './errors.js';
import { BitReader, END_OF_DATA } from './huffman.js';
import { dcValue, fillBlock, idct8x8 } from './idct.js';
import { idct2x2, idct4x4 } from './idct-scaled.js';
import { ZIGZAG, newState, readMarkers, type Frame, type JpegState, type MarkerStop, type ScanHeader } from './markers.js';
import { OutputStage, planOutput, type OutputPlan, type RowSink } from './output.js';
import { newComponentCoefs, type ComponentCoefs } from './coef-store.js';
import { checkProgression, progressiveBlockFn, type ScanState } from './progressive.js';
import { decodeBlock, runScan, type BlockFn } from './scan.js';

/** Header pixels accepted when the caller gives no `maxPixels` (a 48 MP photo passes). */
export const DEFAULT_JPEG_MAX_PIXELS = 50_000_000;
/**
 * Work limits for multi-scan files. Each scan walks every block of its components however few bytes it has (an
 * EOB run covers 32767 blocks in 2 bytes), so scans are limited: at most MAX_SCANS, and at most
 * MAX_BLOCK_VISITS block visits per block of the image (+ 65536), which keeps a hostile file's work below that of a
 * normal decode of its declared size. libjpeg's standard progressive script visits each block 4 to 8 times;
 * libjpeg-turbo's djpeg -maxscans / TurboJPEG's scan limit exist for the same reason.
 */
export const MAX_SCANS = 256;
export const MAX_BLOCK_VISITS = 32;

export interface DecodeSetup {
  scaleDenom?: 1 | 2 | 4 | 8;
  maxPixels?: number;
}

export interface DecodeResult {
  width: number;
  height: number;
  /** Data was missing (see JpegImage.truncated). */
  truncated: boolean;
}

/** Reads the headers up to the first scan and enforces the size limit (nothing image-sized is allocated yet). */
export function readToFirstScan(bytes: Uint8Array, maxPixels: number): { st: JpegState; stop: MarkerStop } {
  const st = newState(bytes);
  const stop = readMarkers(st, 2);
  const frame = st.frame;
  if (!frame) corrupt(stop.kind === 'end' ? 'the data ends before the frame header' : 'no frame header (SOF) before the first scan');
  const { width, height } = frame;
  if (width * height > maxPixels) {
    throw new ImageInputError('IMAGE_TOO_LARGE', `The image is ${width}x${height}, more than ${maxPixels} pixels.`, {
      details: { format: 'jpeg', width, height, maxPixels },
    });
  }
  return { st, stop };
}

/** Decodes `bytes`, handing finished RGBA rows to the sink made by `makeSink` once the output size is known. */
export function runDecode(bytes: Uint8Array, setup: DecodeSetup, makeSink: (plan: OutputPlan) => RowSink): DecodeResult {
  const scale = setup.scaleDenom ?? 1;
  if (scale !== 1 && scale !== 2 && scale !== 4 && scale !== 8) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `scaleDenom must be 1, 2, 4 or 8 (got ${String(scale)}).`);
  }
  const { st, stop } = readToFirstScan(bytes, setup.maxPixels ?? DEFAULT_JPEG_MAX_PIXELS);
  if (stop.kind !== 'sos') corrupt('the data ends before the first scan');
  const frame = st.frame!;
  checkMinimumSize(frame, stop.scan, bytes.length - stop.pos);
  const plan = planOutput(frame, scale);
  const stage = new OutputStage(plan, colorTransform(st), makeSink(plan));
  const streaming = !frame.progressive && stop.scan.components.length === frame.components.length;
  const truncated = streaming ? decodeStreaming(st, stop.scan, stop.pos, stage) : decodeBuffered(st, stop.scan, stop.pos, stage);
  return { width: plan.outWidth, height: plan.outHeight, truncated };
}

/**
 * Every block costs at least 2 bits in a sequential scan (a DC and an AC symbol) and 1 bit in a DC-first scan, so
 * a header that declares far more blocks than the data can hold fails here, before any image-sized allocation.
 * The allowance for a missing last MCU row matches the truncation rule.
 */
function checkMinimumSize(frame: Frame, scan: ScanHeader, available: number): void {
  const comps = scan.components;
  const interleaved = comps.length > 1;
  const perMcu = interleaved ? comps.reduce((s, c) => s + c.h * c.v, 0) : 1;
  const perRow = interleaved ? frame.mcusPerLine : comps[0].widthInBlocks;
  const total = perRow * (interleaved ? frame.imcuRows : comps[0].heightInBlocks);
  let bits = 0;
  if (!frame.progressive) bits = 2 * perMcu * Math.max(0, total - perRow - 1);
  else if (scan.ss === 0 && scan.ah === 0) bits = perMcu * Math.max(0, total - 1);
  if (available * 8 < bits) {
    corrupt(`${available} bytes of scan data cannot hold a ${frame.width}x${frame.height} image`, { width: frame.width, height: frame.height, bytes: available });
  }
}

function latchQuant(st: JpegState, scan: ScanHeader, quant: (Uint16Array | null)[]): void {
  for (const c of scan.components) {
    if (quant[c.index]) continue;
    const q = st.quant[c.tq];
    if (!q) corrupt(`missing quantisation table ${c.tq}`);
    quant[c.index] = q;
  }
}

/** Inverse DCT of one block into the output stage's plane for component ci (coefficients at coef[o..], `last` =
 * zigzag index of the last nonzero one, 63 when unknown). */
function idctInto(stage: OutputStage, ci: number, q: Uint16Array, coef: Int16Array, o: number, last: number, bx: number, by: number): void {
  const cp = stage.plan.comps[ci];
  const ds = cp.ds;
  const off = stage.rowOffset(ci, by * ds) + bx * ds;
  if (ds === 1) cp.plane[off] = dcValue(coef[o], q[0]);
  else if (last === 0) fillBlock(dcValue(coef[o], q[0]), ds, cp.plane, off, cp.stride);
  else if (ds === 8) idct8x8(coef, o, q, cp.plane, off, cp.stride, last);
  else if (ds === 4) idct4x4(coef, o, q, cp.plane, off, cp.stride, last);
  else idct2x2(coef, o, q, cp.plane, off, cp.stride, last);
}

/** Truncation / stray-marker policy for a scan (see README): returns normally only when the rest may be zeros. */
function exhaustedPolicy(tolerate: (mcu: number, total: number, perRow: number) => boolean) {
  return (marker: number, mcu: number, total: number, perRow: number): void => {
    if (marker !== END_OF_DATA && marker !== 0xd9) {
      corrupt(`marker FF${marker.toString(16).toUpperCase()} inside the entropy-coded data (MCU ${mcu} of ${total})`);
    }
    if (!tolerate(mcu, total, perRow)) corrupt(`the data ends at MCU ${mcu} of ${total}`, { mcu, mcus: total });
  };
}

function decodeStreaming(st: JpegState, scan: ScanHeader, pos: number, stage: OutputStage): boolean {
  const frame = st.frame!;
  const quant: (Uint16Array | null)[] = [null, null, null, null];
  latchQuant(st, scan, quant);
  const r = new BitReader(st.bytes, pos);
  const blk = new Int16Array(64);
  const pred = new Int32Array(4);
  let truncated = false;
  const comps = stage.plan.comps;
  // Per block of an MCU, everything it needs, looked up once (this is the hot loop of baseline decoding).
  const interleaved = scan.components.length > 1;
  const eSci: number[] = [];
  const eComp: typeof comps = [];
  const eQ: Uint16Array[] = [];
  const eX: number[] = [];
  const eY: number[] = [];
  const eH: number[] = [];
  const eV: number[] = [];
  scan.components.forEach((c, sci) => {
    const h = interleaved ? c.h : 1;
    const v = interleaved ? c.v : 1;
    for (let by = 0; by < v; by++) {
      for (let bx = 0; bx < h; bx++) {
        eSci.push(sci);
        eComp.push(comps[c.index]);
        eQ.push(quant[c.index]!);
        eX.push(bx);
        eY.push(by);
        eH.push(h);
        eV.push(v);
      }
    }
  });
  const mcu = (mx: number, my: number): void => {
    for (let e = 0; e < eSci.length; e++) {
      const sci = eSci[e];
      const cp = eComp[e];
      const ds = cp.ds;
      const q = eQ[e];
      const row = (my * eV[e] + eY[e]) * ds;
      const off = (row % cp.ringRows) * cp.stride + (mx * eH[e] + eX[e]) * ds;
      if (ds === 1) {
        // 1/8 scale: only DC matters; AC is parsed, not stored.
        decodeBlock(r, blk, 0, scan.dcTables[sci], scan.acTables[sci], pred, sci, false);
        cp.plane[off] = dcValue(blk[0], q[0]);
        blk[0] = 0;
        continue;
      }
      const last = decodeBlock(r, blk, 0, scan.dcTables[sci], scan.acTables[sci], pred, sci, true);
      if (last === 0) fillBlock(dcValue(blk[0], q[0]), ds, cp.plane, off, cp.stride);
      else if (ds === 8) idct8x8(blk, 0, q, cp.plane, off, cp.stride, last);
      else if (ds === 4) idct4x4(blk, 0, q, cp.plane, off, cp.stride, last);
      else idct2x2(blk, 0, q, cp.plane, off, cp.stride, last);
      blk[0] = 0;
      for (let k = 1; k <= last; k++) blk[ZIGZAG[k]] = 0;
    }
  };
  const missing: BlockFn = (_sci, comp, bx, by) => {
    const cp = stage.plan.comps[comp.index];
    fillBlock(128, cp.ds, cp.plane, stage.rowOffset(comp.index, by * cp.ds) + bx * cp.ds, cp.stride);
  };
  runScan(r, frame, scan, st.restartInterval, {
    mcu,
    missing,
    restart: () => pred.fill(0),
    imcuRow: (m) => stage.imcuDone(m),
    exhausted: exhaustedPolicy((mcu, total, perRow) => (truncated = mcu >= total - perRow)),
  });
  stage.finish(frame.imcuRows);
  // The image is complete; only say "truncated" if data was missing (EOI itself is not needed for pixels).
  return truncated;
}

function decodeBuffered(st: JpegState, first: ScanHeader, pos: number, stage: OutputStage): boolean {
  const frame = st.frame!;
  const coefs = frame.components.map((c, i) => newComponentCoefs(c, stage.plan.comps[i].ds));
  const quant: (Uint16Array | null)[] = [null, null, null, null];
  const r = new BitReader(st.bytes, pos);
  const state: ScanState = { r, pred: new Int32Array(4), eobrun: 0 };
  const blk = new Int16Array(64);
  const seen = new Array<boolean>(frame.components.length).fill(false);
  const dcDone = new Array<boolean>(frame.components.length).fill(false);
  let scan: ScanHeader | null = first;
  let scans = 0;
  let visits = 0;
  const budget = MAX_BLOCK_VISITS * frame.components.reduce((n, c) => n + c.blocksPerLine * c.blocksPerColumn, 0) + 65536;
  let truncated = false;
  while (scan) {
    if (++scans > MAX_SCANS) corrupt(`more than ${MAX_SCANS} scans`);
    const sc0 = scan.components;
    visits += sc0.length > 1 ? frame.mcusPerLine * frame.imcuRows * sc0.reduce((n, c) => n + c.h * c.v, 0) : sc0[0].widthInBlocks * sc0[0].heightInBlocks;
    if (visits > budget) corrupt(`too many scans for the image size (more than ${MAX_BLOCK_VISITS} block visits per block)`);
    latchQuant(st, scan, quant);
    const before = dcDone.every(Boolean);
    for (const c of scan.components) seen[c.index] = true;
    const lastSequential = seen.every(Boolean);
    let fn: BlockFn;
    if (frame.progressive) {
      checkProgression(frame, scan);
      fn = progressiveBlockFn(state, scan, coefs);
    } else {
      const sc = scan;
      fn = (sci, comp, bx, by) => sequentialIntoStore(state, sc, sci, coefs[comp.index], blk, bx, by);
    }
    state.pred.fill(0);
    state.eobrun = 0;
    let cut = false;
    runScan(r, frame, scan, st.restartInterval, {
      block: fn,
      restart: () => {
        state.pred.fill(0);
        state.eobrun = 0;
      },
      exhausted: exhaustedPolicy((mcu, total, perRow) => (cut = frame.progressive ? before : lastSequential && mcu >= total - perRow)),
    });
    if (cut) {
      truncated = true;
      break;
    }
    if (frame.progressive && scan.ss === 0 && scan.ah === 0) for (const c of scan.components) dcDone[c.index] = true;
    const next: MarkerStop = readMarkers(st, r.pos);
    if (next.kind === 'sos') {
      scan = next.scan;
      r.pos = next.pos;
      r.marker = 0;
    } else {
      if (next.kind === 'end') {
        truncated = true;
        const ok = frame.progressive ? dcDone.every(Boolean) : seen.every(Boolean);
        if (!ok) corrupt('the data ends before every component has been coded');
      }
      scan = null;
    }
  }
  if (!seen.every(Boolean)) corrupt('some components are never coded');
  render(stage, frame, coefs, quant);
  return truncated;
}

/** Sequential scan of a multi-scan file: decode a block, keep the coefficients the output IDCT will read. */
function sequentialIntoStore(state: ScanState, scan: ScanHeader, sci: number, cs: ComponentCoefs, blk: Int16Array, bx: number, by: number): void {
  const b = by * cs.blocksPerLine + bx;
  // The mask only needs its highest bit here (render derives the last nonzero coefficient from it).
  if (cs.full) {
    const last = decodeBlock(state.r, cs.values, b * 64, scan.dcTables[sci], scan.acTables[sci], state.pred, sci, true);
    if (last) cs.mask[2 * b + (last >> 5)] |= 1 << (last & 31);
    return;
  }
  const last = decodeBlock(state.r, blk, 0, scan.dcTables[sci], scan.acTables[sci], state.pred, sci, cs.k > 1);
  if (last) cs.mask[2 * b + (last >> 5)] |= 1 << (last & 31);
  for (let i = 0; i < cs.k; i++) cs.values[b * cs.k + i] = blk[cs.slotPos[i]];
  blk[0] = 0;
  for (let k = 1; k <= last; k++) blk[ZIGZAG[k]] = 0;
}

/** Coefficient store -> output rows, one iMCU row at a time. */
function render(stage: OutputStage, frame: Frame, coefs: ComponentCoefs[], quant: (Uint16Array | null)[]): void {
  const blk = new Int16Array(64);
  for (let m = 0; m < frame.imcuRows; m++) {
    for (const c of frame.components) {
      const cs = coefs[c.index];
      const q = quant[c.index]!;
      for (let by = m * c.v; by < (m + 1) * c.v; by++) {
        for (let bx = 0; bx < c.blocksPerLine; bx++) {
          const b = by * cs.blocksPerLine + bx;
          // Highest coefficient that was ever nonzero (zigzag), from the mask: enables the DC-only and zero-column
          // shortcuts, which give the same result as the full transform.
          const hi = cs.mask[2 * b + 1];
          const lo = cs.mask[2 * b];
          const last = hi !== 0 ? 63 - Math.clz32(hi) : lo !== 0 ? 31 - Math.clz32(lo) : 0;
          if (cs.full) {
            idctInto(stage, c.index, q, cs.values, b * 64, last, bx, by);
            continue;
          }
          for (let i = 0; i < cs.k; i++) blk[cs.slotPos[i]] = cs.values[b * cs.k + i];
          idctInto(stage, c.index, q, blk, 0, last, bx, by);
        }
      }
    }
    stage.imcuDone(m);
  }
  stage.finish(frame.imcuRows);
}
