/** Node-only test support: phone-photo-sized images (smooth shading plus seeded sensor-like noise), as JPEG and WebP. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * RGBA pixels that compress like a photo (not like a flat test card): low-frequency shading per channel plus
 * seeded noise of a few levels.
 *
 * @example
 * ```ts
 * const rgba = photoLike({ width: 4032, height: 3024 });
 * ```
 */
export function photoLike(options: { width: number; height: number; seed?: number }): Uint8Array<ArrayBuffer> {
  const { width: w, height: h } = options;
  const rgba = new Uint8Array(w * h * 4);
  let s = options.seed ?? 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const n = (s >>> 28) - 8;
      rgba[i] = 128 + 100 * Math.sin(x / 300) + n;
      rgba[i + 1] = 128 + 90 * Math.cos(y / 250) + n;
      rgba[i + 2] = 128 + 60 * Math.sin((x + y) / 500) + n;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

/**
 * Encodes RGBA as lossy WebP with libwebp (@jsquash/webp's encoder, compiled here from its .wasm).
 *
 * @example
 * ```ts
 * const webp = await encodeWebp({ rgba, width: 3264, height: 2448 });
 * ```
 */
export async function encodeWebp(options: { rgba: Uint8Array; width: number; height: number; quality?: number }): Promise<Uint8Array<ArrayBuffer>> {
  type Encoder = { init(m: WebAssembly.Module): Promise<void>; default(img: { data: Uint8ClampedArray; width: number; height: number }, o: Record<string, number>): Promise<ArrayBuffer> };
  const enc = (await import('@jsquash/webp/encode.js')) as unknown as Encoder;
  const wasm = createRequire(import.meta.url).resolve('@jsquash/webp/codec/enc/webp_enc.wasm');
  await enc.init(await WebAssembly.compile(readFileSync(wasm)));
  const data = new Uint8ClampedArray(options.rgba.buffer, options.rgba.byteOffset, options.rgba.byteLength);
  // method 0: the fastest encoder effort; the file is still a normal lossy WebP.
  return new Uint8Array(await enc.default({ data, width: options.width, height: options.height }, { quality: options.quality ?? 75, method: 0 }));
}
