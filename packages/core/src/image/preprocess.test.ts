import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InputSpec, ResizePolicy } from '../package/manifest-types.js';
import { decodeImage } from './decode.js';
import { mapBoxToSource, planResize } from './geometry.js';
import { preprocess, preprocessBatch } from './preprocess.js';
import type { RgbaImage } from './types.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../../test-fixtures/images/${name}`, import.meta.url)));

function spec(o: Omit<Partial<InputSpec>, 'resize'> & { size: [number, number]; resize?: Partial<ResizePolicy> }): InputSpec {
  const channels = o.channels ?? 'rgb';
  const c = channels === 'grayscale' ? 1 : 3;
  return {
    name: 'input',
    shape: [1, c, o.size[1], o.size[0]],
    layout: 'NCHW',
    channels,
    resize: { mode: 'stretch', filter: 'bilinear', ...o.resize },
    scale: o.scale ?? 1,
    mean: o.mean ?? [0],
    std: o.std ?? [1],
  };
}

/** Grey image (R = G = B = value, opaque) from rows of values. */
function grey(rows: number[][]): RgbaImage {
  const h = rows.length;
  const w = rows[0].length;
  const data = new Uint8Array(w * h * 4);
  rows.flat().forEach((v, i) => data.set([v, v, v, 255], i * 4));
  return { width: w, height: h, data };
}

describe('preprocess: hand-computed examples', () => {
  it('stretch, identity size: planes in RGB order and (x/scale - mean)/std', () => {
    const img: RgbaImage = { width: 2, height: 1, data: Uint8Array.from([255, 0, 51, 255, 0, 102, 255, 255]) };
    const { tensor, transform } = preprocess({ image: img, input: spec({ size: [2, 1], scale: 255, mean: [0.5, 0.25, 0], std: [0.5, 0.25, 0.2] }) });
    expect(tensor.dims).toEqual([1, 3, 1, 2]);
    // R plane: (1-0.5)/0.5, (0-0.5)/0.5; G: (0-0.25)/0.25, (0.4-0.25)/0.25; B: 0.2/0.2, 1/0.2.
    const want = [1, -1, -1, 0.6, 1, 5];
    Array.from(tensor.data).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    expect(transform).toEqual({ scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, srcWidth: 2, srcHeight: 1 });
  });

  it('bgr reverses the planes', () => {
    const img: RgbaImage = { width: 1, height: 1, data: Uint8Array.from([10, 20, 30, 255]) };
    expect(Array.from(preprocess({ image: img, input: spec({ size: [1, 1], channels: 'bgr' }) }).tensor.data)).toEqual([30, 20, 10]);
  });

  it('stretch 4x2 -> 2x1 with the antialiased triangle filter', () => {
    // Horizontal, scale 2 (support 2): out0 taps x0..2 weights 3/7,3/7,1/7; out1 taps x1..3 weights 1/7,3/7,3/7.
    // Row 0 [10,20,30,40] -> 120/7=17.1 -> 17, 230/7=32.9 -> 33. Row 1 [50,60,70,80] -> 400/7 -> 57, 510/7 -> 73.
    // Vertical, 2 rows -> 1 with equal weights: (17+57)/2 = 37, (33+73)/2 = 53.
    const img = grey([[10, 20, 30, 40], [50, 60, 70, 80]]);
    const { tensor, transform } = preprocess({ image: img, input: spec({ size: [2, 1], channels: 'grayscale' }) });
    expect(Array.from(tensor.data)).toEqual([37, 53]);
    expect(transform).toMatchObject({ scaleX: 0.5, scaleY: 0.5, offsetX: 0, offsetY: 0 });
  });

  it('shorter-side-crop: 4x2, shorter side 2, crop 2x2 keeps columns 1..2', () => {
    const img = grey([[1, 2, 3, 4], [5, 6, 7, 8]]);
    const { tensor, transform } = preprocess({
      image: img,
      input: spec({ size: [2, 2], channels: 'grayscale', resize: { mode: 'shorter-side-crop', shorterSide: 2 } }),
    });
    expect(Array.from(tensor.data)).toEqual([2, 3, 6, 7]);
    expect(transform).toMatchObject({ scaleX: 1, scaleY: 1, offsetX: -1, offsetY: 0 });
    expect(mapBoxToSource({ xmin: 0, ymin: 0, xmax: 2, ymax: 2 }, transform)).toEqual({ xmin: 1, ymin: 0, xmax: 3, ymax: 2 });
  });

  it('letterbox: 8x4 into 4x4 scales by 1/2, centres vertically, pads with padValue', () => {
    const img = grey([
      [0, 0, 100, 100, 0, 0, 100, 100],
      [0, 0, 100, 100, 0, 0, 100, 100],
      [200, 200, 50, 50, 200, 200, 50, 50],
      [200, 200, 50, 50, 200, 200, 50, 50],
    ]);
    const input = spec({ size: [4, 4], channels: 'grayscale', resize: { mode: 'letterbox', padValue: 114 } });
    const { tensor, transform } = preprocess({ image: img, input });
    expect(transform).toEqual({ scaleX: 0.5, scaleY: 0.5, offsetX: 0, offsetY: 1, srcWidth: 8, srcHeight: 4 });
    const t = Array.from(tensor.data);
    expect(t.slice(0, 4)).toEqual([114, 114, 114, 114]);
    expect(t.slice(12, 16)).toEqual([114, 114, 114, 114]);
    // Middle rows are the 2x downscale: real content, not padding, and symmetric in the repeating pattern.
    expect(t.slice(4, 12).every((v) => v !== 114)).toBe(true);
    // A box drawn on the model input maps back to the original pixels (and is clamped to the image).
    expect(mapBoxToSource({ xmin: 1, ymin: 1, xmax: 3, ymax: 3 }, transform)).toEqual({ xmin: 2, ymin: 0, xmax: 6, ymax: 4 });
    expect(mapBoxToSource({ xmin: -5, ymin: 0, xmax: 9, ymax: 4 }, transform)).toEqual({ xmin: 0, ymin: 0, xmax: 8, ymax: 4 });
  });

  it('letterbox normalises padding too; per-channel padValue is in model channel order', () => {
    const img: RgbaImage = { width: 2, height: 1, data: new Uint8Array(8).fill(255) };
    const input = spec({ size: [2, 2], channels: 'bgr', scale: 255, mean: [0, 0, 0.5], std: [1, 1, 0.5], resize: { mode: 'letterbox', padValue: [255, 0, 255] } });
    const { tensor } = preprocess({ image: img, input });
    // 2x1 fits 2x2 at scale 1: placed at row 0 (floor((2-1)/2) = 0), row 1 is padding.
    expect(Array.from(tensor.data)).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1]);
  });

  it('grayscale uses BT.601 luma rounded like Pillow convert("L")', () => {
    const img: RgbaImage = { width: 4, height: 1, data: Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 200, 77, 255]) };
    expect(Array.from(preprocess({ image: img, input: spec({ size: [4, 1], channels: 'grayscale' }) }).tensor.data)).toEqual([76, 150, 29, 129]);
  });

  it('alpha is composited over white for rgb, black for grayscale (auto), or the colour asked for', () => {
    const img: RgbaImage = { width: 1, height: 1, data: Uint8Array.from([200, 100, 0, 0]) }; // fully transparent
    expect(Array.from(preprocess({ image: img, input: spec({ size: [1, 1] }) }).tensor.data)).toEqual([255, 255, 255]);
    expect(Array.from(preprocess({ image: img, input: spec({ size: [1, 1], channels: 'grayscale' }) }).tensor.data)).toEqual([0]);
    expect(Array.from(preprocess({ image: img, input: spec({ size: [1, 1] }), alphaBackground: [10, 20, 30] }).tensor.data)).toEqual([10, 20, 30]);
    const half: RgbaImage = { width: 1, height: 1, data: Uint8Array.from([200, 100, 0, 128]) };
    // (c*128 + 255*127)/255 rounded: 200 -> 57985/255 = 227.4 -> 227, 100 -> 45185/255 = 177.2 -> 177, 0 -> 127.
    expect(Array.from(preprocess({ image: half, input: spec({ size: [1, 1] }), alphaBackground: 'white' }).tensor.data)).toEqual([227, 177, 127]);
  });
});

describe('preprocess: parity with Pillow / torchvision pipelines', () => {
  it('grayscale stretch equals Pillow src.convert("L").resize((16, 10), BILINEAR)', async () => {
    const src = await decodeImage(fx('resize-src.png'));
    const want = await decodeImage(fx('resize-L-bilinear-16x10.png'));
    const { tensor } = preprocess({ image: src, input: spec({ size: [16, 10], channels: 'grayscale' }) });
    expect(Array.from(tensor.data)).toEqual(Array.from(want.data.filter((_, i) => i % 4 === 0)));
  });

  it('shorter-side-crop equals torchvision Resize(20) + CenterCrop(16) on Pillow', async () => {
    const src = await decodeImage(fx('resize-src.png'));
    const want = await decodeImage(fx('resize-crop-20-16.png'));
    const { tensor, transform } = preprocess({ image: src, input: spec({ size: [16, 16], resize: { mode: 'shorter-side-crop', shorterSide: 20 } }) });
    for (let c = 0; c < 3; c++) {
      const plane = Array.from(tensor.data.subarray(c * 256, (c + 1) * 256));
      expect(plane).toEqual(Array.from(want.data.filter((_, i) => i % 4 === c)));
    }
    expect(transform).toMatchObject({ scaleX: 32 / 37, scaleY: 20 / 23, offsetX: -8, offsetY: -2 });
  });

  it('ImageNet geometry: 640x480 -> 341x256, crop origin (58, 16) (Python round half to even)', () => {
    const p = planResize({ srcWidth: 640, srcHeight: 480, width: 224, height: 224, policy: { mode: 'shorter-side-crop', shorterSide: 256, filter: 'bilinear' } });
    expect([p.resizeWidth, p.resizeHeight, p.window.x, p.window.y, p.padded]).toEqual([341, 256, 58, 16, false]);
  });
});

describe('preprocessBatch and validation', () => {
  it('stacks N images into [N, C, H, W] with one transform each', async () => {
    const a = await decodeImage(fx('rgb.png'));
    const b = await decodeImage(fx('resize-src.png'));
    const input = spec({ size: [8, 8], resize: { mode: 'letterbox' }, scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    const { tensor, transforms } = preprocessBatch({ images: [a, b], input });
    expect(tensor.dims).toEqual([2, 3, 8, 8]);
    expect(transforms.map((t) => t.srcWidth)).toEqual([32, 37]);
    const single = preprocess({ image: b, input }).tensor.data;
    expect(Array.from(tensor.data.subarray(192))).toEqual(Array.from(single));
  });

  it('rejects invalid images and specs with INVALID_ARGUMENT', () => {
    const ok = spec({ size: [2, 2] });
    const bad = [
      { width: 2, height: 2, data: new Uint8Array(15) },
      { width: 0, height: 2, data: new Uint8Array(0) },
      { width: 1.5, height: 2, data: new Uint8Array(12) },
      { width: 1, height: 1, data: [0, 0, 0, 0] },
    ];
    for (const image of bad) expect(() => preprocess({ image: image as RgbaImage, input: ok })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const img = grey([[1]]);
    for (const input of [
      { ...ok, shape: [1, 1, 2, 2] },
      { ...ok, std: [1, 0, 1] },
      { ...ok, mean: [0, 0] },
      { ...ok, shape: [1, 3, -1, 2] },
      { ...ok, scale: 0 },
    ]) {
      expect(() => preprocess({ image: img, input: input as InputSpec })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => preprocessBatch({ images: [], input: ok })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('12 MP photo -> 224x224 ImageNet tensor', () => {
    const w = 4000;
    const h = 3000;
    const data = new Uint8Array(w * h * 4).fill(255);
    const input = spec({ size: [224, 224], resize: { mode: 'shorter-side-crop', shorterSide: 256 }, scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    const { tensor } = preprocess({ image: { width: w, height: h, data }, input });
    expect(tensor.data[0]).toBeCloseTo((1 - 0.485) / 0.229, 4);
  });
});

describe('alphaBackground', () => {
  const image: RgbaImage = { width: 1, height: 1, data: new Uint8Array([0, 0, 0, 0]) };
  const input = spec({ size: [1, 1] });
  it('composites over [r, g, b] and rejects anything else (it fell back to black silently)', () => {
    expect(Array.from(preprocess({ image, input, alphaBackground: [10, 20, 30] }).tensor.data)).toEqual([10, 20, 30]);
    for (const bg of ['purple', [255, 0], [0, 0, NaN], [0, 0, 256]]) {
      expect(() => preprocess({ image, input, alphaBackground: bg as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
