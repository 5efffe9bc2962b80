/**
 * Sample images for the demo and its browser test, built from the Fashion-MNIST test split that
 * Debian ships (dataset-fashion-mnist): single items for the classifier and a small composed scene
 * for the detector. Node only (runs at build/test time).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { encode } from 'fast-png';

export const FASHION_MNIST_DIR = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
export const FASHION_LABELS = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

let cache: { images: Uint8Array; labels: Uint8Array } | undefined;

function t10k() {
  cache ??= {
    images: gunzipSync(readFileSync(`${FASHION_MNIST_DIR}/t10k-images-idx3-ubyte.gz`)).subarray(16),
    labels: gunzipSync(readFileSync(`${FASHION_MNIST_DIR}/t10k-labels-idx1-ubyte.gz`)).subarray(8),
  };
  return cache;
}

/** A 28x28 grayscale item of the t10k split, with its class index. */
export function fashionItem(index: number): { pixels: Uint8Array; label: number } {
  const { images, labels } = t10k();
  if (!Number.isInteger(index) || index < 0 || index >= labels.length) throw new RangeError(`index ${index} out of range`);
  return { pixels: images.slice(index * 784, index * 784 + 784), label: labels[index]! };
}

/** Encodes a grayscale image as an 8-bit gray PNG. */
export function grayPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  return encode({ width, height, data: pixels, depth: 8, channels: 1 });
}

/** PNG of one Fashion-MNIST t10k item. @example fashionItemPng(0) // an ankle boot */
export function fashionItemPng(index: number): { png: Uint8Array; label: string } {
  const { pixels, label } = fashionItem(index);
  return { png: grayPng(pixels, 28, 28), label: FASHION_LABELS[label]! };
}

function scaleBilinear(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size * size);
  const s = 28 / size;
  for (let y = 0; y < size; y++) {
    const fy = Math.min(27, Math.max(0, (y + 0.5) * s - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(27, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = Math.min(27, Math.max(0, (x + 0.5) * s - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(27, x0 + 1);
      const wx = fx - x0;
      const top = src[y0 * 28 + x0]! * (1 - wx) + src[y0 * 28 + x1]! * wx;
      const bot = src[y1 * 28 + x0]! * (1 - wx) + src[y1 * 28 + x1]! * wx;
      out[y * size + x] = Math.round(top * (1 - wy) + bot * wy);
    }
  }
  return out;
}

/** Items of the demo scene: t10k index, side in px, top-left corner. */
export const SCENE_ITEMS = [
  { index: 0, size: 40, x: 4, y: 6 },
  { index: 1, size: 32, x: 54, y: 10 },
  { index: 7, size: 36, x: 30, y: 54 },
] as const;

/**
 * A 96x96 grayscale scene (the detector's training format): a few items composited with max on a dark
 * gradient. Returns the PNG and the ground-truth boxes of the visible pixels (pixel-edge coordinates).
 */
export function scenePng(): { png: Uint8Array; truth: { label: string; box: { xmin: number; ymin: number; xmax: number; ymax: number } }[] } {
  const W = 96;
  const canvas = new Uint8Array(W * W);
  for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) canvas[y * W + x] = Math.round((x + y) / 12);
  const truth = SCENE_ITEMS.map(({ index, size, x, y }) => {
    const { pixels, label } = fashionItem(index);
    const scaled = scaleBilinear(pixels, size);
    let xmin = W, ymin = W, xmax = 0, ymax = 0;
    for (let j = 0; j < size; j++) {
      for (let i = 0; i < size; i++) {
        const v = scaled[j * size + i]!;
        const p = (y + j) * W + (x + i);
        canvas[p] = Math.max(canvas[p]!, v);
        if (v > 8) {
          xmin = Math.min(xmin, x + i);
          ymin = Math.min(ymin, y + j);
          xmax = Math.max(xmax, x + i + 1);
          ymax = Math.max(ymax, y + j + 1);
        }
      }
    }
    return { label: FASHION_LABELS[label]!, box: { xmin, ymin, xmax, ymax } };
  });
  return { png: grayPng(canvas, W, W), truth };
}
