import { describe, expect, it } from 'vitest';
import { ImageInputError } from '../errors.js';
import { prepareImage } from './wire-image.js';

describe('prepareImage', () => {
  it('lists owned buffers for transfer only when asked', async () => {
    const buf = new Uint8Array([1, 2, 3]).buffer;
    expect((await prepareImage({ image: buf, transfer: true })).transfer).toEqual([buf]);
    expect((await prepareImage({ image: buf, transfer: false })).transfer).toEqual([]);
    const view = new Uint8Array(buf, 1, 1);
    expect((await prepareImage({ image: view, transfer: true })).transfer).toEqual([]);
    const rgba = { width: 1, height: 1, data: new Uint8ClampedArray(4) };
    const p = await prepareImage({ image: rgba, transfer: true });
    expect(p.image).toEqual(rgba);
    expect(p.transfer).toEqual([rgba.data.buffer]);
    const tensor = { data: new Float32Array(4), dims: [1, 1, 2, 2] };
    expect((await prepareImage({ image: tensor, transfer: true })).transfer).toEqual([tensor.data.buffer]);
    const blob = new Blob([new Uint8Array([1])]);
    expect(await prepareImage({ image: blob, transfer: true })).toEqual({ image: blob, transfer: [] });
  });

  it('refuses bad input with stable codes', async () => {
    for (const [image, code] of [
      [null, 'INVALID_ARGUMENT'],
      [42, 'INVALID_ARGUMENT'],
      ['a.png', 'INVALID_ARGUMENT'],
      [new ArrayBuffer(0), 'EMPTY_INPUT'],
      [new Uint8Array(0), 'EMPTY_INPUT'],
      [{ width: 1, height: 1, data: [0, 0, 0, 0] }, 'UNSUPPORTED_IMAGE_FORMAT'],
      [{}, 'UNSUPPORTED_IMAGE_FORMAT'],
    ] as const) {
      const err = await prepareImage({ image: image as never, transfer: true }).catch((e) => e);
      expect(err).toBeInstanceOf(ImageInputError);
      expect(err.code).toBe(code);
    }
  });
});
