/** Reads Fashion-MNIST IDX files from Debian's dataset-fashion-mnist (installed by scripts/test.sh). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const FMNIST_DIR = process.env.FMNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

function readIdx(path: string): { dims: number[]; data: Uint8Array } {
  const buf = gunzipSync(readFileSync(path));
  const ndim = buf[3];
  const dims = Array.from({ length: ndim }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + 4 + 4 * ndim, buf.byteLength - 4 - 4 * ndim) };
}

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
