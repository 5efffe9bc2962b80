/** Loads detection scene sets: the committed ones (packages/core/test-fixtures/detection) or any written by models/train/scenes.py. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { RgbaImage } from '../../packages/core/src/image/types.js';
import type { EvalGroundTruth } from '../../packages/core/src/tasks/map.js';

/** Committed scene sets (models/train/scenes.py): fresh-200, bright-100, textured-100. */
export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../packages/core/test-fixtures/detection');
/** The default set: 200 held-out scenes of Fashion-MNIST test items (seed 5001). */
export const DETECTION_FIXTURE = join(FIXTURE_DIR, 'fresh-200');

export interface DetectionScenes {
  width: number;
  height: number;
  count: number;
  labels: string[];
  /** Grayscale pixels, count * height * width. */
  pixels: Uint8Array;
  groundTruth: EvalGroundTruth[][];
}

/**
 * Reads `<prefix>.json` + `<prefix>.u8.gz` (raw uint8 scenes; boxes as [xmin, ymin, xmax, ymax, class]).
 *
 * @example
 * ```ts
 * const scenes = loadDetectionScenes(DETECTION_FIXTURE);
 * ```
 */
export function loadDetectionScenes(prefix: string = DETECTION_FIXTURE): DetectionScenes {
  const meta = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as {
    width: number;
    height: number;
    count: number;
    labels: string[];
    scenes: number[][][];
  };
  const pixels = new Uint8Array(gunzipSync(readFileSync(`${prefix}.u8.gz`)));
  if (pixels.length !== meta.count * meta.width * meta.height || meta.scenes.length !== meta.count) {
    throw new Error(`Corrupt detection scenes at ${prefix}: ${pixels.length} bytes for ${meta.count} scenes`);
  }
  const groundTruth = meta.scenes.map((boxes) =>
    boxes.map(([xmin, ymin, xmax, ymax, c]) => ({ label: meta.labels[c], box: { xmin, ymin, xmax, ymax } })),
  );
  return { width: meta.width, height: meta.height, count: meta.count, labels: meta.labels, pixels, groundTruth };
}

/** Scene `i` as an opaque RGBA image (gray in all three channels). */
export function sceneRgba(s: DetectionScenes, i: number): RgbaImage {
  const n = s.width * s.height;
  const data = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    const v = s.pixels[i * n + p];
    data[p * 4] = v;
    data[p * 4 + 1] = v;
    data[p * 4 + 2] = v;
    data[p * 4 + 3] = 255;
  }
  return { width: s.width, height: s.height, data };
}
