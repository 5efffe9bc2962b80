/** Reads Fashion-MNIST IDX files from Debian's dataset-fashion-mnist (installed by scripts/test.sh). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readIdx as parseIdx } from '../../packages/core/src/quantizer/idx.js';

export const FMNIST_DIR = process.env.FMNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

// The SDK's own IDX parser (validates magic, type and sizes) on the gunzipped file.
const readIdx = (path: string) => parseIdx(new Uint8Array(gunzipSync(readFileSync(path))));

/** The t10k split: images [N*28*28] uint8 and labels [N]. */
export function loadFmnistTest(): { images: Uint8Array; labels: Uint8Array; count: number } {
  const images = readIdx(`${FMNIST_DIR}/t10k-images-idx3-ubyte.gz`);
  const labels = readIdx(`${FMNIST_DIR}/t10k-labels-idx1-ubyte.gz`);
  return { images: images.data, labels: labels.data, count: labels.dims[0] };
}

/** Image i as an RgbaImage (grey replicated), so it goes through the SDK's real preprocessing. */
export function fmnistRgba(images: Uint8Array, i: number): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(28 * 28 * 4);
  for (let p = 0; p < 784; p++) {
    const v = images[i * 784 + p];
    data[p * 4] = v;
    data[p * 4 + 1] = v;
    data[p * 4 + 2] = v;
    data[p * 4 + 3] = 255;
  }
  return { width: 28, height: 28, data };
}
