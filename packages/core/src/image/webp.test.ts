import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode.js';
import { setWebpWasmModule } from './webp.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../../test-fixtures/images/${name}`, import.meta.url)));

describe('WebP decoder wiring (the path a Cloudflare Worker takes)', () => {
  it('a module that is not libwebp -> UNSUPPORTED_IMAGE_FORMAT (decoder-unavailable), then the real module works', async () => {
    // The smallest valid wasm module: magic + version, no exports. Instantiation "succeeds" but nothing works.
    setWebpWasmModule(new WebAssembly.Module(Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0])));
    const err = await decodeImage(fx('lossy.webp')).catch((e) => e);
    expect(err).toMatchObject({ code: 'UNSUPPORTED_IMAGE_FORMAT', details: { format: 'webp', reason: 'decoder-unavailable' } });

    // What a Worker does with `import webpWasm from '@jsquash/webp/codec/dec/webp_dec.wasm'`.
    const path = createRequire(import.meta.url).resolve('@jsquash/webp/codec/dec/webp_dec.wasm');
    setWebpWasmModule(new WebAssembly.Module(readFileSync(path)));
    const img = await decodeImage(fx('lossless.webp'));
    const want = await decodeImage(fx('lossless.webp.expected.png'));
    expect(Array.from(img.data)).toEqual(Array.from(want.data));
  });

  it('a large image (past the fresh-instance size) decodes, and so do the images after it', async () => {
    for (let i = 0; i < 2; i++) {
      const big = await decodeImage(fx('big-solid.webp'));
      expect([big.width, big.height, big.data.length]).toEqual([2100, 2100, 2100 * 2100 * 4]);
      expect(Array.from(big.data.subarray(0, 4))).toEqual([30, 140, 200, 255]);
      expect(Array.from(big.data.subarray(big.data.length - 4))).toEqual([30, 140, 200, 255]);
      const small = await decodeImage(fx('lossless.webp'));
      expect(Array.from(small.data)).toEqual(Array.from((await decodeImage(fx('lossless.webp.expected.png'))).data));
    }
  });
});
