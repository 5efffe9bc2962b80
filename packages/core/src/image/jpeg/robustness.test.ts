/**
 * Hostile and damaged input: truncation at every cut point, seeded byte corruption, huge declared sizes,
 * unsupported variants, broken structure. Every outcome must be a valid image or a typed ImageInputError
 * (ResNetEdgeError for a bad argument), never another exception or a hang.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImageInputError, ResNetEdgeError } from '../../errors.js';
import { MAX_BLOCK_VISITS, MAX_SCANS, decodeJpeg, readJpegHeader, type DecodeJpegOptions, type JpegImage } from './index.js';

const OWN = join(dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures/jpeg');
const load = (f: string): Uint8Array => new Uint8Array(readFileSync(join(OWN, f)));

type Outcome = { ok: JpegImage } | { code: string; message: string; details?: Record<string, unknown> };

function attempt(b: Uint8Array, opts?: DecodeJpegOptions): Outcome {
  try {
    return { ok: decodeJpeg(b, opts) };
  } catch (e) {
    if (!(e instanceof ImageInputError)) throw e; // anything else is a bug
    return { code: e.code, message: e.message, details: e.details };
  }
}

/** Marker segments up to and including the first SOS: [marker, offset of FF, offset after the segment]. */
function segments(b: Uint8Array): [number, number, number][] {
  const out: [number, number, number][] = [];
  let p = 2;
  while (p + 4 <= b.length) {
    const m = b[p + 1];
    const end = p + 2 + ((b[p + 2] << 8) | b[p + 3]);
    out.push([m, p, end]);
    if (m === 0xda) break;
    p = end;
  }
  return out;
}

const seg = (b: Uint8Array, m: number): [number, number, number] => segments(b).find((s) => s[0] === m)!;

function withSize(b: Uint8Array, width: number, height: number): Uint8Array {
  const c = b.slice();
  const [, p] = segments(c).find((s) => s[0] >= 0xc0 && s[0] <= 0xc2)!;
  c.set([height >> 8, height & 255, width >> 8, width & 255], p + 5);
  return c;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('truncation', () => {
  for (const [f, kind] of [['baseline-420.jpg', 'sequential'], ['restart-420-3mcu.jpg', 'sequential'], ['progressive-420.jpg', 'progressive']] as const) {
    it(`${f}: every cut point fails cleanly until ${kind === 'sequential' ? 'the last MCU row' : 'the DC scan is complete'}, then decodes`, () => {
      const b = load(f);
      const full = decodeJpeg(b);
      const scanStart = seg(b, 0xda)[2];
      let threshold = -1;
      for (let cut = 0; cut <= b.length; cut++) {
        const r = attempt(b.subarray(0, cut));
        if ('code' in r) {
          if (r.code !== 'IMAGE_DECODE_FAILED') expect.fail(`cut ${cut}: ${r.code} ${r.message}`);
          if (threshold >= 0) expect.fail(`cut ${cut} fails (${r.message}) after cut ${threshold} decoded`);
          continue;
        }
        if (threshold < 0) threshold = cut;
        if (r.ok.width !== full.width || r.ok.height !== full.height) expect.fail(`cut ${cut}: size`);
        if (r.ok.truncated !== cut < b.length - (kind === 'sequential' ? 2 : 0)) expect.fail(`cut ${cut}: truncated flag`);
        if (kind === 'sequential') {
          // Rows above the last iMCU row (16 rows, less one for the upsampler's context) are final.
          const keep = (Math.ceil(full.height / 16) - 1) * 16 - 1;
          expect(Buffer.compare(r.ok.data.subarray(0, keep * full.width * 4), full.data.subarray(0, keep * full.width * 4))).toBe(0);
        }
      }
      expect(threshold).toBeGreaterThan(scanStart);
      if (kind === 'sequential') {
        // Only the tail is tolerated: the last of 4 MCU rows at most, and a file missing just EOI is complete.
        expect(threshold).toBeGreaterThan(scanStart + 0.6 * (b.length - scanStart));
        expect(Buffer.compare(decodeJpeg(b.subarray(0, b.length - 2)).data, full.data)).toBe(0);
      }
      console.info(`${f}: ${b.length} bytes, first scan at ${scanStart}, cuts >= ${threshold} decode`);
    });
  }

  it('data ending at an EOI marker in the middle of a scan is a truncation', () => {
    const b = load('baseline-420.jpg');
    const c = b.slice();
    const mid = (seg(b, 0xda)[2] + b.length) >> 1;
    c.set([0xff, 0xd9], mid);
    expect(attempt(c)).toMatchObject({ code: 'IMAGE_DECODE_FAILED', message: expect.stringContaining('data ends') });
  });
});

describe('seeded corruption', () => {
  for (const f of ['baseline-420.jpg', 'progressive-420.jpg', 'restart-prog-5mcu.jpg', 'restart-420-3mcu.jpg', 'sample-mixed.jpg', 'noninterleaved-420.jpg']) {
    it(`${f}: 300 mutated copies give an image or a typed error`, () => {
      const b = load(f);
      const full = decodeJpeg(b);
      const counts: Record<string, number> = {};
      const next = rng(f.length * 7919);
      for (let i = 0; i < 300; i++) {
        const c = b.slice();
        const n = 1 + Math.floor(next() * 4);
        for (let j = 0; j < n; j++) c[2 + Math.floor(next() * (c.length - 2))] = Math.floor(next() * 256);
        const r = attempt(c, { maxPixels: 1e6, scaleDenom: ([1, 2, 4, 8] as const)[i & 3] });
        const key = 'ok' in r ? 'decoded' : r.code;
        counts[key] = (counts[key] ?? 0) + 1;
        if ('ok' in r) expect(r.ok.data.length).toBe(r.ok.width * r.ok.height * 4);
        else expect(['IMAGE_DECODE_FAILED', 'UNSUPPORTED_IMAGE_FORMAT', 'IMAGE_TOO_LARGE']).toContain(r.code);
      }
      console.info(`${f} (${full.width}x${full.height}) mutated x300: ${JSON.stringify(counts)}`);
      expect(counts.IMAGE_DECODE_FAILED).toBeGreaterThan(0);
    });
  }

  it('entropy data of all 1-bits is a bad Huffman code, not garbage', () => {
    const b = load('baseline-420.jpg');
    const c = b.slice();
    c.fill(0xfe, seg(b, 0xda)[2], b.length - 2);
    expect(attempt(c)).toMatchObject({ code: 'IMAGE_DECODE_FAILED' });
  });

  it('a wrong restart marker number is refused', () => {
    const b = load('restart-420-3mcu.jpg');
    const c = b.slice();
    const p = b.findIndex((v, i) => v === 0xff && b[i + 1] === 0xd0 && i > seg(b, 0xda)[2]);
    c[p + 1] = 0xd3;
    expect(attempt(c)).toMatchObject({ code: 'IMAGE_DECODE_FAILED', message: expect.stringContaining('marker FFD3') });
  });
});

describe('declared size', () => {
  it('a 2.7 KB file declaring 6000x6000 fails before any image-sized allocation', () => {
    for (const f of ['baseline-420.jpg', 'progressive-420.jpg']) {
      const b = withSize(load(f), 6000, 6000);
      expect(b.length).toBeLessThan(2800);
      expect(readJpegHeader(b)).toMatchObject({ width: 6000, height: 6000 });
      const before = process.memoryUsage().arrayBuffers;
      const r = attempt(b);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 << 20);
      expect(r).toMatchObject({ code: 'IMAGE_DECODE_FAILED', message: expect.stringContaining('cannot hold a 6000x6000 image') });
      expect(attempt(b, { maxPixels: 1e6 })).toMatchObject({
        code: 'IMAGE_TOO_LARGE', details: { format: 'jpeg', width: 6000, height: 6000, maxPixels: 1e6 },
      });
    }
  });

  it('65535x65535 is refused by the default limit', () => {
    expect(attempt(withSize(load('baseline-420.jpg'), 65535, 65535))).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });
});

describe('unsupported variants and broken structure', () => {
  it('arithmetic coding, 12-bit, lossless and hierarchical JPEGs are named', () => {
    const base = load('baseline-420.jpg');
    const sof = seg(base, 0xc0)[1];
    const patch = (i: number, v: number): Uint8Array => {
      const c = base.slice();
      c[i] = v;
      return c;
    };
    const cases: [Uint8Array, string][] = [
      [load('arithmetic.jpg'), 'arithmetic-coding'],
      [patch(sof + 4, 12), 'precision-12'],
      [patch(sof + 1, 0xc3), 'lossless'],
      [patch(sof + 1, 0xc5), 'hierarchical'],
    ];
    for (const [b, reason] of cases) {
      expect(attempt(b)).toMatchObject({ code: 'UNSUPPORTED_IMAGE_FORMAT', details: { format: 'jpeg', reason } });
      expect(() => readJpegHeader(b)).toThrow(ImageInputError);
    }
  });

  it('not a JPEG, no tables, no scan: IMAGE_DECODE_FAILED', () => {
    const b = load('baseline-420.jpg');
    const [, dht, dhtEnd] = seg(b, 0xc4);
    const noDht = new Uint8Array([...b.subarray(0, dht), ...b.subarray(dhtEnd)]);
    for (const c of [new Uint8Array(0), new Uint8Array([0xff, 0xd8]), new Uint8Array([0x89, 0x50, 0x4e, 0x47]), noDht, b.subarray(0, seg(b, 0xda)[1])]) {
      expect(attempt(c)).toMatchObject({ code: 'IMAGE_DECODE_FAILED' });
    }
  });

  it(`more than ${MAX_SCANS} scans are refused`, () => {
    const b = load('progressive-420.jpg');
    // DC refinement scans (Ah=1, Al=0) of all three components, each with enough zero bytes for its 1 bit per block.
    const scan = [0xff, 0xda, 0, 12, 3, 1, 0, 2, 0, 3, 0, 0, 0, 0x10, ...new Array(40).fill(0)];
    const extra: number[] = [];
    for (let i = 0; i <= MAX_SCANS; i++) extra.push(...scan);
    const c = new Uint8Array([...b.subarray(0, b.length - 2), ...extra, 0xff, 0xd9]);
    expect(attempt(c)).toMatchObject({ code: 'IMAGE_DECODE_FAILED', message: expect.stringContaining(`more than ${MAX_SCANS} scans`) });
  });

  it(`scans that cost no data cannot make the work unbounded (${MAX_BLOCK_VISITS} block visits per block)`, () => {
    // Grey 2048x2048 progressive file written by hand: a DC scan of 65536 zero bits, then AC scans that each cover
    // all 65536 blocks with two EOB runs of 32767 and two single EOBs (5 bytes per scan).
    const bits = (s: string): number[] => {
      const out: number[] = [];
      const padded = s + '1'.repeat((8 - (s.length % 8)) % 8);
      for (let i = 0; i < padded.length; i += 8) {
        const v = parseInt(padded.slice(i, i + 8), 2);
        out.push(v, ...(v === 0xff ? [0] : []));
      }
      return out;
    };
    const file = (acScans: number): Uint8Array => {
      const head = [0xff, 0xd8, 0xff, 0xdb, 0, 67, 0, ...new Array(64).fill(1)];
      const sof = [0xff, 0xc2, 0, 11, 8, 0x08, 0x00, 0x08, 0x00, 1, 1, 0x11, 0];
      const dht = [0xff, 0xc4, 0, 2 + 17 + 1, 0x00, 1, ...new Array(15).fill(0), 0, 0xff, 0xc4, 0, 2 + 17 + 2, 0x10, 1, 1, ...new Array(14).fill(0), 0xe0, 0x00];
      const dc = [0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 0, 0, ...new Array(8192).fill(0)];
      const ac = [0xff, 0xda, 0, 8, 1, 1, 0x00, 1, 63, 0, ...bits(`0${'1'.repeat(14)}0${'1'.repeat(14)}1010`)];
      const out = [...head, ...sof, ...dht, ...dc];
      for (let i = 0; i < acScans; i++) out.push(...ac);
      return new Uint8Array([...out, 0xff, 0xd9]);
    };
    const ok = decodeJpeg(file(20), { scaleDenom: 8 });
    expect([ok.width, ok.height, ok.data[0], ok.data[1], ok.data[2], ok.truncated]).toEqual([256, 256, 128, 128, 128, false]);
    const big = file(100);
    expect(big.length).toBeLessThan(10_000);
    expect(attempt(big, { scaleDenom: 8 })).toMatchObject({ code: 'IMAGE_DECODE_FAILED', message: expect.stringContaining('too many scans') });
  });

  it('a bad scale is INVALID_ARGUMENT', () => {
    expect(() => decodeJpeg(load('baseline-420.jpg'), { scaleDenom: 3 as 2 })).toThrow(ResNetEdgeError);
    try {
      decodeJpeg(load('baseline-420.jpg'), { scaleDenom: 3 as 2 });
    } catch (e) {
      expect((e as ResNetEdgeError).code).toBe('INVALID_ARGUMENT');
    }
  });
});
