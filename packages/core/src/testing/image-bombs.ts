/**
 * Hostile images from the hardening issue (#14), generated on demand so nothing big is committed: decompression
 * bombs (a PNG declaring 100x100 whose IDAT inflates to 1.2 GB, in 1.2 MB), header-only "bombs" (a 2.7 KB JPEG
 * declaring 6000x6000) and absurd header sizes. Node only (node:zlib); used by test/node/image-bombs.test.ts and
 * reusable by the Worker and fuzz tiers.
 */
import { constants as zc, deflateRawSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { crc32 } from '../image/png/chunks.js';
import { concat } from '../package/fetch-bytes.js';

/** One named case and the error code every entry point must answer it with. */
export interface ImageBomb {
  name: string;
  /** Builds the bytes (milliseconds; up to 4 MB). */
  make: () => Uint8Array;
  code: 'IMAGE_DECODE_FAILED' | 'IMAGE_TOO_LARGE';
  /** What the bytes would cost if decoded naively. */
  note: string;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/**
 * A zlib stream of `mib` MiB of zeros: one compressed 1 MiB piece (about 1 KB at deflate's 1032:1 limit) repeated,
 * made independent by full flushes, then a final empty block and the right Adler-32. Milliseconds to build.
 *
 * @example
 * ```ts
 * const z = zerosZlib(1200); // ~1.2 MB that inflates to 1.2 GiB
 * ```
 */
export function zerosZlib(mib: number): Uint8Array {
  const piece = deflateRawSync(new Uint8Array(2 ** 20), { level: 9, finishFlush: zc.Z_FULL_FLUSH });
  const tail = deflateRawSync(new Uint8Array(0));
  const adler = new Uint8Array(4);
  new DataView(adler.buffer).setUint32(0, ((((mib * 2 ** 20) % 65521) << 16) | 1) >>> 0);
  return concat([Uint8Array.from([0x78, 0xda]), ...Array.from({ length: mib }, () => piece), tail, adler]);
}

/**
 * A PNG with a valid structure (CRCs, IEND) around an arbitrary zlib stream, optionally split over IDAT chunks.
 *
 * @example
 * ```ts
 * const bomb = pngWithData({ width: 100, height: 100, zlib: zerosZlib(1200) });
 * ```
 */
export function pngWithData(o: { width: number; height: number; zlib: Uint8Array; depth?: number; colorType?: number; interlace?: number; idatSize?: number }): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, o.width);
  v.setUint32(4, o.height);
  ihdr.set([o.depth ?? 8, o.colorType ?? 6, 0, 0, o.interlace ?? 0], 8);
  const step = o.idatSize ?? o.zlib.length;
  const idats: Uint8Array[] = [];
  for (let i = 0; i < o.zlib.length; i += step) idats.push(pngChunk('IDAT', o.zlib.subarray(i, i + step)));
  return concat([Uint8Array.from([0x89, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', ihdr), ...idats, pngChunk('IEND', new Uint8Array(0))]);
}

/**
 * A real JPEG's markers with the frame size patched to `width` x `height`, cut right after the first scan header
 * and padded with a COM segment to `bytes` bytes: all header, no image data.
 *
 * @example
 * ```ts
 * const h = headerOnlyJpeg({ width: 6000, height: 6000, bytes: 2700 });
 * ```
 */
export function headerOnlyJpeg(o: { width: number; height: number; bytes?: number; progressive?: boolean }): Uint8Array {
  const w = 16;
  const enc = new Uint8Array(jpeg.encode({ width: w, height: w, data: new Uint8Array(w * w * 4).fill(128) }, 90).data);
  let p = 2;
  while (enc[p + 1] !== 0xc0) p += 2 + ((enc[p + 2] << 8) | enc[p + 3]);
  const sof = p;
  if (o.progressive) enc[sof + 1] = 0xc2;
  enc.set([o.height >> 8, o.height & 255, o.width >> 8, o.width & 255], sof + 5);
  while (enc[p + 1] !== 0xda) p += 2 + ((enc[p + 2] << 8) | enc[p + 3]);
  const headers = enc.subarray(0, p + 2 + ((enc[p + 2] << 8) | enc[p + 3]));
  const pad = Math.max(0, (o.bytes ?? 0) - headers.length - 4);
  const com = new Uint8Array(4 + pad);
  com.set([0xff, 0xfe, (pad + 2) >> 8, (pad + 2) & 255]);
  com.fill(0x20, 4);
  return concat([headers.subarray(0, 2), com, headers.subarray(2)]);
}

/**
 * A VP8X WebP header declaring `width` x `height` (canvas size fields are 24-bit) and nothing else, zero-padded to
 * `bytes` (its RIFF size says so).
 *
 * @example
 * ```ts
 * const header = webpHeader(16384, 16384); // 268 MP declared in 40 bytes
 * ```
 */
export function webpHeader(width: number, height: number, bytes = 40): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(bytes);
  const s = (o: number, t: string) => [...t].forEach((c, i) => (b[o + i] = c.charCodeAt(0)));
  s(0, 'RIFF');
  new DataView(b.buffer).setUint32(4, b.length - 8, true);
  s(8, 'WEBPVP8X');
  new DataView(b.buffer).setUint32(16, 10, true);
  b.set([(width - 1) & 255, ((width - 1) >> 8) & 255, (width - 1) >> 16, (height - 1) & 255, ((height - 1) >> 8) & 255, (height - 1) >> 16], 24);
  return b;
}

/**
 * Every named case; bytes are built only when `make()` is called.
 *
 * @example
 * ```ts
 * for (const b of imageBombs()) expect(await errorCode(model.classify(b.make()))).toBe(b.code);
 * ```
 */
export function imageBombs(): ImageBomb[] {
  const gb12 = () => zerosZlib(1200);
  return [
    { name: 'png-100x100-inflates-1.2GB', make: () => pngWithData({ width: 100, height: 100, zlib: gb12() }), code: 'IMAGE_DECODE_FAILED', note: '1.2 MB file, 1.2 GiB of IDAT' },
    { name: 'png-100x100-1.2GB-split-idat', make: () => pngWithData({ width: 100, height: 100, zlib: gb12(), idatSize: 8192 }), code: 'IMAGE_DECODE_FAILED', note: 'same, in 8 KB IDAT chunks' },
    { name: 'png-100x100-1.2GB-interlaced', make: () => pngWithData({ width: 100, height: 100, zlib: gb12(), interlace: 1 }), code: 'IMAGE_DECODE_FAILED', note: 'Adam7 header' },
    { name: 'png-4000x3000-inflates-1.2GB', make: () => pngWithData({ width: 4000, height: 3000, zlib: gb12() }), code: 'IMAGE_DECODE_FAILED', note: '12 MP declared, 25x more data' },
    { name: 'png-3.9MB-inflates-4GB', make: () => pngWithData({ width: 1000, height: 1000, zlib: zerosZlib(3900) }), code: 'IMAGE_DECODE_FAILED', note: 'the Worker-sized bomb' },
    { name: 'png-header-only-7000x6800', make: () => pngWithData({ width: 7000, height: 6800, zlib: zerosZlib(1).subarray(0, 64) }), code: 'IMAGE_DECODE_FAILED', note: '47.6 MP declared, 64 bytes of data' },
    { name: 'png-header-30000x30000', make: () => pngWithData({ width: 30000, height: 30000, zlib: zerosZlib(1) }), code: 'IMAGE_TOO_LARGE', note: '900 MP' },
    { name: 'jpeg-header-only-6000x6000-2.7KB', make: () => headerOnlyJpeg({ width: 6000, height: 6000, bytes: 2700 }), code: 'IMAGE_DECODE_FAILED', note: 'jpeg-js allocated 616 MB' },
    { name: 'jpeg-progressive-header-only-6000x6000', make: () => headerOnlyJpeg({ width: 6000, height: 6000, progressive: true }), code: 'IMAGE_DECODE_FAILED', note: 'progressive frame' },
    { name: 'jpeg-header-65535x65535', make: () => headerOnlyJpeg({ width: 65535, height: 65535 }), code: 'IMAGE_TOO_LARGE', note: '4.3 GP' },
    { name: 'webp-header-16384x16384', make: () => webpHeader(16384, 16384), code: 'IMAGE_TOO_LARGE', note: '268 MP' },
  ];
}
