// Builds the torchvision-architecture int8 models the benchmark uses (random seeded weights: no ImageNet weights are
// reachable here, and latency does not depend on weight values). Cached in models/train/out/ (git-ignored).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quantize } from '../packages/core/src/quantizer/index.js';
import type { Tensor } from '../packages/core/src/index.js';

const ROOT = new URL('..', import.meta.url).pathname;
export const OUT = join(ROOT, 'models/train/out');

function randomInputs(n: number, dims: number[], seed: number): Tensor[] {
  let s = seed >>> 0;
  const size = dims.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => ({
    dims,
    data: Float32Array.from({ length: size }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 2 ** 32) * 4 - 2;
    }),
  }));
}

/**
 * Returns paths of the fp32 and int8 QDQ ONNX files of a torchvision ResNet, building them if missing.
 *
 * @example
 * ```ts
 * const { fp32, int8 } = await torchvisionModel({ arch: 'resnet50' });
 * ```
 */
export async function torchvisionModel(o: { arch: 'resnet18' | 'resnet34' | 'resnet50' | 'resnet101' | 'resnet152'; size?: number }) {
  const size = o.size ?? 224;
  mkdirSync(OUT, { recursive: true });
  const fp32 = join(OUT, `${o.arch}-${size}.fp32.onnx`);
  const int8 = join(OUT, `${o.arch}-${size}.int8.onnx`);
  if (!existsSync(fp32)) {
    // PYTHON: the interpreter with torch + torchvision (Debian's here; the lent GPU machine's venv there).
    const r = spawnSync(process.env.PYTHON ?? '/usr/bin/python3', [join(ROOT, 'models/train/export_torchvision.py'), '--arch', o.arch, '--opset', '13', '--size', String(size), '--out', fp32], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`export of ${o.arch} failed: ${r.stderr}`);
  }
  if (!existsSync(int8)) {
    const res = await quantize({ model: new Uint8Array(readFileSync(fp32)), calibration: randomInputs(8, [1, 3, size, size], 7), method: 'percentile' });
    writeFileSync(int8, res.model);
  }
  return { fp32, int8, size };
}
