/**
 * Hostile images through the real handler (hardening issue, item 1): core's named bombs (a PNG declaring 100x100 whose
 * IDAT inflates to 1.2 GB, the 3.9 MB / 4 GB Worker-sized one, header-only JPEG/PNG "bombs", absurd headers) get the
 * same typed code as in the SDK, with the shipped limits (48 MP). The workerd tier posts them to real workerd and
 * reads the isolate's memory (test/workerd/photos.test.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageBombs, webpHeader } from '../../core/src/testing/image-bombs.js';
import { createApp } from './app.js';
import type { Env } from './env.js';
import { statusForCode } from './http-error.js';
import { appCaller, expectJsonError } from './testing/app-client.js';
import { dirAssets, encodeJpeg, TINY_ID, writeTinyPackage } from './testing/fixtures.js';
import { createWorkerBackends } from './worker-backends.js';

const root = mkdtempSync(join(tmpdir(), 'resnet-edge-hostile-'));
writeTinyPackage({ root });
// The shipped limits, except a body cap that lets the 3.9 MB bomb through to the decoder.
const env: Env = { ASSETS: dirAssets({ root }), MODELS: TINY_ID, DEFAULT_CLASSIFY_MODEL: TINY_ID, BACKEND: 'wasm', MAX_IMAGE_BYTES: String(8 << 20) };
const call = appCaller({ app: createApp({ registry: createWorkerBackends() }), env, headers: {} });

describe('image bombs get their typed code (413/422), never a decode', () => {
  it.each(imageBombs())('$name ($note)', async ({ make, code }) => {
    const bytes = make();
    await expectJsonError(await call({ path: '/v1/classify', body: bytes.slice() }), statusForCode(code), code);
    // The small ones (headers) also inside a Workers-AI JSON body, on the other route.
    if (bytes.length < 65536) {
      await expectJsonError(await call({ path: '/v1/detect', body: JSON.stringify({ image: Array.from(bytes) }) }), statusForCode(code), code);
    }
  });
});

describe('pixel limits: 48 MP for JPEG/PNG (decoded to size), 8 MP for WebP (decoded at full size)', () => {
  it('a WebP over MAX_WEBP_PIXELS (a 12 MP phone photo) is 413 before decoding, with the WebP limit in the details', async () => {
    const body = await expectJsonError(await call({ path: '/v1/classify', body: webpHeader(4032, 3024, 64) }), 413, 'IMAGE_TOO_LARGE');
    expect((body.error as { details?: unknown }).details).toEqual({ format: 'webp', width: 4032, height: 3024, maxPixels: 8_000_000 });
    const lowered = await call({ path: '/v1/classify', body: webpHeader(2000, 2000, 64), env: { ...env, MAX_WEBP_PIXELS: '1000000' } });
    await expectJsonError(lowered, 413, 'IMAGE_TOO_LARGE');
  });
  it('an 8 MP WebP header (3264x2448) passes the limit (and fails later only for lack of image data)', async () => {
    await expectJsonError(await call({ path: '/v1/classify', body: webpHeader(3264, 2448, 64) }), 422, 'IMAGE_DECODE_FAILED');
  });
  it('JPEG: 48 MP passes the header check, 48 MP + 1 row does not', async () => {
    const small = encodeJpeg({ rgba: new Uint8Array(16 * 16 * 4).fill(90), width: 16, height: 16 });
    const patch = (w: number, h: number) => {
      const b = small.slice();
      let p = 2;
      while (b[p + 1] !== 0xc0) p += 2 + ((b[p + 2] << 8) | b[p + 3]);
      b.set([h >> 8, h & 255, w >> 8, w & 255], p + 5);
      return b;
    };
    // 8000x6000 = 48 MP exactly: past the limit check, then refused as far too little data for its size.
    await expectJsonError(await call({ path: '/v1/classify', body: patch(8000, 6000) }), 422, 'IMAGE_DECODE_FAILED');
    await expectJsonError(await call({ path: '/v1/classify', body: patch(8000, 6001) }), 413, 'IMAGE_TOO_LARGE');
  });
});
