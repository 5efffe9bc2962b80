/**
 * Node-only test support: real Fashion-MNIST images encoded as PNG/JPEG, a directory-backed
 * stand-in for the Workers `ASSETS` binding (serves the repo's real model packages), and a ctx.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { encode as encodePngRaw } from 'fast-png';
import jpeg from 'jpeg-js';
import type { ManifestFile } from '@resnet-edge/core';
import { TINY_OP13_URL, testManifest, tinyOp13Manifest } from '@resnet-edge/core/testing';
import type { AssetsBinding } from '../env.js';
import type { ExecutionContext } from '../router.js';

/** Repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The repo's model packages folder. */
export const MODELS_DIR = join(REPO_ROOT, 'models');
/** Committed binary fixtures of this package (real WebP files). */
export const FIXTURES = join(REPO_ROOT, 'packages/worker/test-fixtures');
const FMNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** True when `models/<id>/model.json` exists (the model packages land during the project). */
export function hasModel(options: { id: string }): boolean {
  return existsSync(join(MODELS_DIR, options.id, 'model.json'));
}

/** One Fashion-MNIST test item: 28x28 grayscale pixels and its class index. */
export interface FmnistItem {
  pixels: Uint8Array;
  label: number;
}

/**
 * Reads the first `count` items of the Fashion-MNIST t10k split (Debian package dataset-fashion-mnist).
 *
 * @example
 * ```ts
 * const [first] = fmnistTestItems({ count: 1 });
 * ```
 */
export function fmnistTestItems(options: { count: number; offset?: number }): FmnistItem[] {
  const images = gunzipSync(readFileSync(join(FMNIST_DIR, 't10k-images-idx3-ubyte.gz')));
  const labels = gunzipSync(readFileSync(join(FMNIST_DIR, 't10k-labels-idx1-ubyte.gz')));
  const out: FmnistItem[] = [];
  const off = options.offset ?? 0;
  for (let i = off; i < off + options.count; i++) {
    out.push({ pixels: new Uint8Array(images.subarray(16 + i * 784, 16 + (i + 1) * 784)), label: labels[8 + i] });
  }
  return out;
}

/** Grayscale to RGBA. */
export function grayToRgba(options: { pixels: Uint8Array; width: number; height: number }): Uint8Array<ArrayBuffer> {
  const { pixels, width, height } = options;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = pixels[i];
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** Encodes RGBA pixels as PNG. */
export function encodePng(options: { rgba: Uint8Array; width: number; height: number }): Uint8Array<ArrayBuffer> {
  return new Uint8Array(encodePngRaw({ width: options.width, height: options.height, data: options.rgba, channels: 4, depth: 8 }));
}

/** Encodes RGBA pixels as baseline JPEG. */
export function encodeJpeg(options: { rgba: Uint8Array; width: number; height: number; quality?: number }): Uint8Array<ArrayBuffer> {
  const { data } = jpeg.encode({ data: options.rgba, width: options.width, height: options.height }, options.quality ?? 95);
  return new Uint8Array(data);
}

/**
 * A directory-backed `ASSETS` binding: `https://<any>/<path>` -> `<root>/<path>`, 404 when missing,
 * no escaping `root`. This is the asset server, not the model: the bytes are the real package files.
 *
 * @example
 * ```ts
 * const env = { ASSETS: dirAssets({ root: MODELS_DIR }) };
 * ```
 */
export function dirAssets(options: { root: string }): AssetsBinding {
  const root = resolve(options.root);
  return {
    async fetch(input: Request | string | URL) {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '');
      const file = join(root, rel);
      if (!file.startsWith(root + '/')) return new Response('forbidden', { status: 403 });
      try {
        const bytes = await readFile(file);
        return new Response(new Uint8Array(bytes), { status: 200, headers: { 'content-length': String(bytes.byteLength) } });
      } catch {
        return new Response('not found', { status: 404 });
      }
    },
  };
}

/** Id of the small real ONNX classifier package built by {@link writeTinyPackage}. */
export const TINY_ID = 'tiny-fixture';

/**
 * Writes a model package around core's committed `tiny-op13.onnx` test graph (a small conv net with fixed
 * random weights: input [N,3,32,32] -> 10 logits) into `<root>/tiny-fixture/`. Lets the full path (assets,
 * integrity check, decode, ORT) run before the trained models land; its labels are meaningless.
 *
 * @example
 * ```ts
 * writeTinyPackage({ root: '/tmp/assets' });
 * ```
 */
export function writeTinyPackage(options: { root: string; id?: string; parts?: number }): void {
  const id = options.id ?? TINY_ID;
  const dir = join(options.root, id);
  mkdirSync(dir, { recursive: true });
  const src = fileURLToPath(TINY_OP13_URL);
  const bytes = readFileSync(src);
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  let files: ManifestFile[];
  if (options.parts && options.parts > 1) {
    // Split like a >25 MiB model would be: ordered `part` files, concatenated by the loader.
    const step = Math.ceil(bytes.byteLength / options.parts);
    files = [];
    for (let i = 0; i < options.parts; i++) {
      const part = bytes.subarray(i * step, Math.min(bytes.byteLength, (i + 1) * step));
      const path = `model.onnx.part${i}`;
      writeFileSync(join(dir, path), part);
      files.push({ path, role: 'part', bytes: part.byteLength, sha256: sha(part) });
    }
  } else {
    copyFileSync(src, join(dir, 'model.onnx'));
    files = [{ path: 'model.onnx', role: 'model', bytes: bytes.byteLength, sha256: sha(bytes) }];
  }
  const manifest = tinyOp13Manifest({ id, files });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
}

/** Id of the hand-built CenterNet package written by {@link writeTinyDetectorPackage}. */
export const TINY_DET_ID = 'tiny-centernet';

/**
 * Writes a detection package around `test-fixtures/tiny-centernet.onnx` (see scripts/make-tiny-centernet.py):
 * 32x32 grayscale letterboxed input, stride 4; class "square" fires on bright 4x4 cells with an 8x8 px box.
 *
 * @example
 * ```ts
 * writeTinyDetectorPackage({ root: '/tmp/assets' });
 * ```
 */
export function writeTinyDetectorPackage(options: { root: string }): void {
  const dir = join(options.root, TINY_DET_ID);
  mkdirSync(dir, { recursive: true });
  const bytes = readFileSync(join(FIXTURES, 'tiny-centernet.onnx'));
  writeFileSync(join(dir, 'model.onnx'), bytes);
  const manifest = testManifest({
    id: TINY_DET_ID,
    task: 'detection',
    labels: ['square', 'never'],
    input: { shape: [1, 1, 32, 32], channels: 'grayscale', resize: { mode: 'letterbox', filter: 'bilinear', padValue: 0 } },
    detection: {
      head: { format: 'centernet', heatmap: 'heatmap', size: 'size', offset: 'offset', stride: 4, sigmoid: false },
      scoreThreshold: 0.3,
      iouThreshold: 0.5,
      maxDetections: 10,
    },
    files: [{ path: 'model.onnx', role: 'model', bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') }],
  });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
}

/**
 * A black `width`x`height` RGBA image with white axis-aligned squares (`[x, y, side]` in pixels).
 *
 * @example
 * ```ts
 * const rgba = squaresImage({ width: 64, height: 32, squares: [[8, 8, 8]] });
 * ```
 */
export function squaresImage(options: { width: number; height: number; squares: [number, number, number][] }): Uint8Array<ArrayBuffer> {
  const gray = new Uint8Array(options.width * options.height);
  for (const [x0, y0, side] of options.squares) {
    for (let y = y0; y < y0 + side; y++) for (let x = x0; x < x0 + side; x++) gray[y * options.width + x] = 255;
  }
  return grayToRgba({ pixels: gray, width: options.width, height: options.height });
}

/** An ExecutionContext that runs waitUntil promises to completion (and surfaces their errors). */
export function testCtx(): ExecutionContext & { settled(): Promise<void> } {
  const pending: Promise<unknown>[] = [];
  return {
    waitUntil: (p) => void pending.push(p),
    passThroughOnException: () => undefined,
    settled: async () => void (await Promise.all(pending)),
  };
}
