/**
 * Seeded generators of hostile images for the fuzz tier: truncations and byte mutations of real files (PNG CRCs
 * fixed afterwards, so damage reaches the decoder instead of failing the checksum), header and chunk damage,
 * JPEG segment damage, WebP RIFF damage, decompression bombs and huge declared sizes, and 1-16 byte inputs. Every
 * case is rebuilt from its id, so a failure reproduces with `npx tsx test/fuzz/run.ts --only <id>`.
 *
 * Grow the corpus by raising a count in IMAGE_KINDS or adding a kind (and a seed file under the seed folders).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from '../../packages/core/src/image/png/chunks.js';
import { concat } from '../../packages/core/src/package/fetch-bytes.js';
import { headerOnlyJpeg, pngWithData, webpHeader, zerosZlib } from '../../packages/core/src/testing/image-bombs.js';
import type { Rng } from './rng.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'packages/core/test-fixtures/images');

/** Seed files: the decoder fixtures (interlaced, palette, 16-bit, progressive, CMYK, lossless/lossy WebP...) and model samples. */
let seedCache: { name: string; bytes: Uint8Array }[] | undefined;
export function seedImages(): { name: string; bytes: Uint8Array }[] {
  if (seedCache) return seedCache;
  const fixtures = readdirSync(FIXTURES)
    .filter((f) => /\.(png|jpe?g|webp)$/.test(f) && !f.includes('.expected.') && !f.includes('.fast-') && !f.startsWith('resize-'))
    .sort();
  const samples = ['fmnist-resnet20/samples/bag.png', 'fmnist-scenes-centernet/samples/scene-3.png'];
  seedCache = [
    ...fixtures.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(FIXTURES, f))) })),
    ...samples.map((s) => ({ name: s.split('/').pop()!, bytes: new Uint8Array(readFileSync(join(ROOT, 'models', s))) })),
  ];
  return seedCache;
}

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50;
const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8;
const isWebp = (b: Uint8Array) => b[0] === 0x52 && b[8] === 0x57;
const seedsOf = (test: (b: Uint8Array) => boolean) => seedImages().filter((s) => test(s.bytes));

/** Recomputes every PNG chunk CRC that lies within the file (damage then reaches the decoder, not the checksum). */
export function fixPngCrcs(b: Uint8Array): Uint8Array {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let p = 8; p + 12 <= b.length; ) {
    const len = v.getUint32(p);
    if (p + 12 + len > b.length) break;
    v.setUint32(p + 8 + len, crc32(b, p + 4, p + 8 + len));
    p += 12 + len;
  }
  return b;
}

/** PNG chunk offsets: [start, length, type]. */
function pngChunks(b: Uint8Array): [number, number, string][] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: [number, number, string][] = [];
  for (let p = 8; p + 12 <= b.length; ) {
    const len = v.getUint32(p);
    out.push([p, len, String.fromCharCode(...b.subarray(p + 4, p + 8))]);
    p += 12 + len;
  }
  return out;
}

const EXTREME_DIMS = [0, 1, 2, 7, 255, 65535, 65536, 100_000, 2 ** 31 - 1, 2 ** 32 - 1];

type Gen = (r: Rng) => Uint8Array;

/** Each kind: how many cases the corpus draws, and the generator. */
export const IMAGE_KINDS: Record<string, { count: number; make: Gen }> = {
  /** A prefix of a real file (a third of them 1..64 bytes long). */
  truncate: {
    count: 40,
    make: (r) => {
      const s = r.pick(seedImages()).bytes;
      return s.slice(0, r.chance(0.3) ? r.int(1, Math.min(64, s.length - 1)) : r.int(1, s.length - 1));
    },
  },
  /** 1..16 random bytes replaced anywhere past the signature (PNG CRCs fixed). */
  mutate: {
    count: 60,
    make: (r) => {
      const b = r.pick(seedImages()).bytes.slice();
      for (let k = r.int(1, 16); k > 0; k--) b[r.int(r.chance(0.9) ? 8 : 0, b.length - 1)] = r.int(0, 255);
      return isPng(b) ? fixPngCrcs(b) : b;
    },
  },
  /** IHDR fields set to extreme or invalid values (CRC fixed). */
  'png-header': {
    count: 30,
    make: (r) => {
      const b = r.pick(seedsOf(isPng)).bytes.slice();
      const v = new DataView(b.buffer);
      const field = r.int(0, 6);
      if (field === 0) v.setUint32(16, r.pick(EXTREME_DIMS));
      else if (field === 1) v.setUint32(20, r.pick(EXTREME_DIMS));
      else if (field === 2) b[24] = r.pick([0, 1, 2, 3, 4, 5, 8, 16, 32, 255]);
      else if (field === 3) b[25] = r.pick([0, 1, 2, 3, 4, 5, 6, 7, 255]);
      else b[26 + field - 4] = r.pick([0, 1, 2, 255]);
      return fixPngCrcs(b);
    },
  },
  /** Chunk structure: a huge length, a removed or duplicated chunk, an unknown critical chunk, IDAT split (CRCs fixed). */
  'png-chunks': {
    count: 30,
    make: (r) => {
      const s = r.pick(seedsOf(isPng)).bytes;
      const chunks = pngChunks(s);
      const [start, len] = r.pick(chunks);
      const whole = s.subarray(start, start + 12 + len);
      const op = r.int(0, 4);
      let b: Uint8Array;
      if (op === 0) {
        b = s.slice();
        new DataView(b.buffer).setUint32(start, r.pick([len + 1, 2 ** 31 - 1, 2 ** 32 - 1, 0]));
      } else if (op === 1) b = concat([s.subarray(0, start), s.subarray(start + 12 + len)]);
      else if (op === 2) b = concat([s.subarray(0, start + 12 + len), whole, s.subarray(start + 12 + len)]);
      else if (op === 3) b = concat([s.subarray(0, 33), Uint8Array.from([0, 0, 0, 4, 0x5a, 0x5a, 0x5a, 0x5a, 1, 2, 3, 4, 0, 0, 0, 0]), s.subarray(33)]);
      else {
        // Chunks in a shuffled order (Fisher-Yates).
        const parts = chunks.map(([p, l]) => s.subarray(p, p + 12 + l));
        for (let i = parts.length - 1; i > 0; i--) {
          const j = r.int(0, i);
          [parts[i], parts[j]] = [parts[j], parts[i]];
        }
        b = concat([s.subarray(0, 8), ...parts]);
      }
      return fixPngCrcs(b.slice());
    },
  },
  /** One JPEG marker segment: its length field or a few of its bytes (frame size, tables, scan header). */
  'jpeg-segments': {
    count: 40,
    make: (r) => {
      const b = r.pick(seedsOf(isJpeg)).bytes.slice();
      const segs: [number, number][] = [];
      for (let p = 2; p + 4 <= b.length && b[p] === 0xff && b[p + 1] !== 0xda; p += 2 + ((b[p + 2] << 8) | b[p + 3])) segs.push([p, (b[p + 2] << 8) | b[p + 3]]);
      const sos = segs.length ? segs[segs.length - 1][0] + 2 + segs[segs.length - 1][1] : 2;
      segs.push([sos, b.length > sos + 4 ? (b[sos + 2] << 8) | b[sos + 3] : 0]);
      const [p, len] = r.pick(segs);
      if (r.chance(0.3)) {
        const v = r.pick([0, 1, 2, 0xffff, len + 1, Math.max(0, len - 1)]);
        b[p + 2] = v >> 8;
        b[p + 3] = v & 255;
      } else for (let k = r.int(1, 4); k > 0; k--) b[Math.min(b.length - 1, p + 4 + r.int(0, Math.max(0, len - 2)))] = r.pick([0, 1, 0xff, r.int(0, 255)]);
      return b;
    },
  },
  /** WebP: RIFF or chunk sizes, the VP8/VP8L/VP8X header bytes. */
  webp: {
    count: 20,
    make: (r) => {
      const b = r.pick(seedsOf(isWebp)).bytes.slice();
      const v = new DataView(b.buffer);
      const op = r.int(0, 2);
      if (op === 0) v.setUint32(4, r.pick([0, 4, b.length, 2 ** 32 - 1]), true);
      else if (op === 1) v.setUint32(16, r.pick([0, 1, b.length, 2 ** 31, 2 ** 32 - 1]), true);
      else for (let k = r.int(1, 6); k > 0; k--) b[r.int(20, Math.min(b.length - 1, 40))] = r.int(0, 255);
      return b;
    },
  },
  /** A PNG whose IDAT inflates far past its declared size (20..300 MiB of zeros), any declared size and layout. */
  bomb: {
    count: 12,
    make: (r) => pngWithData({
      width: r.int(1, 4000), height: r.int(1, 3000), zlib: zerosZlib(r.int(20, 300)),
      colorType: r.pick([0, 2, 4, 6]), interlace: r.int(0, 1), ...(r.chance(0.5) ? { idatSize: r.pick([1024, 8192, 65536]) } : {}),
    }),
  },
  /** Headers declaring huge images with little or no data behind them. */
  'huge-header': {
    count: 20,
    make: (r) => {
      const kind = r.int(0, 2);
      if (kind === 0) return headerOnlyJpeg({ width: r.int(1, 65535), height: r.int(1, 65535), progressive: r.chance(0.5), bytes: r.int(0, 4000) });
      if (kind === 1) return pngWithData({ width: r.pick(EXTREME_DIMS.slice(1)) || 1, height: r.int(1, 100_000), zlib: zerosZlib(1).subarray(0, r.int(2, 64)) });
      return webpHeader(r.int(1, 2 ** 24), r.int(1, 2 ** 24), 30);
    },
  },
  /** 1..16 bytes: signature prefixes of every format, and noise. */
  short: {
    count: 20,
    make: (r) => {
      const sig = r.pick([[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0xff, 0xd8, 0xff, 0xe0], [...'RIFF'].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0], [...'WEBPVP8 '].map((c) => c.charCodeAt(0))), [...'GIF89a'].map((c) => c.charCodeAt(0)), []]);
      const n = r.int(1, 16);
      return Uint8Array.from({ length: n }, (_, i) => (i < sig.length ? sig[i] : r.int(0, 255)));
    },
  },
};

