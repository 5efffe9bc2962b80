/**
 * `resnet-edge quantize <fp32.onnx> --out <int8.onnx> --calib <dir | file.idx[.gz]> [--manifest model.json]
 *  [--method minmax|percentile|mse|entropy] [--percentile 99.99] [--samples 512] [--batch 16] [--exclude node1,node2]`
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from '../cli/args.js';
import { ResNetEdgeError } from '../errors.js';
import { decodeImage } from '../image/decode.js';
import { preprocess } from '../image/preprocess.js';
import type { InputSpec } from '../package/manifest-types.js';
import { decodeModel } from '../onnx/index.js';
import type { Tensor } from '../tensor.js';
import type { CalibrationMethod } from './histogram.js';
import { idxToCalibration, readIdx } from './idx.js';
import { quantize } from './quantize.js';
import { formatSummary } from './summary.js';

const USAGE =
  'Usage: resnet-edge quantize <fp32.onnx> --out <int8.onnx> --calib <dir of images | file.idx[.gz]> ' +
  '[--manifest model.json] [--method minmax|percentile|mse|entropy] [--percentile 99.99] [--samples 512] [--batch 16] [--exclude node1,node2]';
const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp']);

function bad(msg: string): never {
  throw new ResNetEdgeError('INVALID_ARGUMENT', `${msg}\n${USAGE}`);
}

/** The model's InputSpec: from the manifest, else derived from the ONNX input shape (x/255, no mean/std). */
async function inputSpec(modelBytes: Uint8Array, manifestPath: string | undefined): Promise<{ spec: InputSpec; dynamicBatch: boolean }> {
  const g = decodeModel(modelBytes).graph!;
  const inits = new Set(g.initializer.map((t) => t.name));
  const gi = g.input.find((v) => !inits.has(v.name));
  const dims = gi?.type?.tensorType?.shape?.dim ?? [];
  const dynamicBatch = !dims[0] || dims[0].dimValue === undefined || dims[0].dimValue <= 0;
  if (manifestPath) {
    const m = JSON.parse(await readFile(manifestPath, 'utf8')) as { input?: InputSpec };
    if (!m.input) bad(`${manifestPath} has no "input" spec`);
    return { spec: m.input!, dynamicBatch };
  }
  const [c, h, w] = dims.slice(1).map((d) => d.dimValue ?? 0);
  if (dims.length !== 4 || !(c === 1 || c === 3) || !(h > 0) || !(w > 0)) bad('cannot infer the input spec from the model; pass --manifest');
  process.stderr.write('note: no --manifest; preprocessing is a plain resize and x/255 (no mean/std)\n');
  const spec: InputSpec = {
    name: gi!.name ?? 'input',
    shape: [1, c, h, w],
    layout: 'NCHW',
    channels: c === 1 ? 'grayscale' : 'rgb',
    resize: { mode: 'stretch', filter: 'bilinear' },
    scale: 255,
    mean: c === 1 ? [0] : [0, 0, 0],
    std: c === 1 ? [1] : [1, 1, 1],
  };
  return { spec, dynamicBatch };
}

async function* imageDirCalibration(dir: string, files: string[], spec: InputSpec): AsyncGenerator<Tensor> {
  for (const f of files) {
    const image = await decodeImage(new Uint8Array(await readFile(join(dir, f))));
    yield preprocess({ image, input: spec }).tensor;
  }
}

function progressBar(): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  let lastPct = -1;
  return (done, total) => {
    const pct = Math.floor((100 * done) / total);
    if (!tty && pct < lastPct + 10 && done < total) return;
    lastPct = pct;
    const width = 30;
    const fill = Math.round((width * done) / total);
    const bar = `[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${done}/${total} calibration samples`;
    process.stderr.write(tty ? `\r${bar}${done >= total ? '\n' : ''}` : `${bar}\n`);
  };
}

/**
 * Runs the quantize command; returns the exit code (0 ok). Errors are thrown as ResNetEdgeError.
 *
 * @example
 * ```ts
 * process.exitCode = await runQuantizeCli(['fp32.onnx', '--out', 'int8.onnx', '--calib', 't10k-images-idx3-ubyte.gz',
 *   '--manifest', 'models/fmnist-resnet20/model.json', '--samples', '512']);
 * ```
 */
export async function runQuantizeCli(argv: string[]): Promise<number> {
  const known = ['out', 'calib', 'manifest', 'method', 'percentile', 'samples', 'batch', 'exclude'];
  const { positionals, flags } = parseArgs({ argv, booleans: [], known });
  if (positionals.length !== 1) bad('expected exactly one fp32 model path');
  const out = flags.out as string | undefined;
  const calib = flags.calib as string | undefined;
  if (!out || !calib) bad('--out and --calib are required');
  const method = String(flags.method ?? 'percentile') as CalibrationMethod;
  const samples = Number(flags.samples ?? 512);
  const percentile = flags.percentile !== undefined ? Number(flags.percentile) : undefined;
  if (!Number.isInteger(samples) || samples < 1) bad('--samples must be a positive integer');
  const model = new Uint8Array(await readFile(positionals[0]).catch((e: Error) => bad(`cannot read ${positionals[0]}: ${e.message}`)));
  const { spec, dynamicBatch } = await inputSpec(model, flags.manifest as string | undefined);
  const batch = dynamicBatch ? Math.max(1, Number(flags.batch ?? 16)) : 1;

  let calibration: Iterable<Tensor> | AsyncIterable<Tensor>;
  let total = samples;
  const isDir = await readdir(calib).then(
    (files) => files,
    () => undefined,
  );
  if (isDir) {
    const images = isDir.filter((f) => IMAGE_EXT.has(extname(f).toLowerCase())).sort();
    if (images.length === 0) bad(`no .jpg/.png/.webp images in ${calib}`);
    const step = Math.max(1, images.length / samples);
    const picked = Array.from({ length: Math.min(samples, images.length) }, (_, k) => images[Math.floor(k * step)]);
    total = picked.length;
    calibration = imageDirCalibration(calib, picked, spec);
  } else {
    let bytes = new Uint8Array(await readFile(calib).catch((e: Error) => bad(`cannot read --calib ${calib}: ${e.message}`)));
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = new Uint8Array(gunzipSync(bytes));
    const idx = readIdx(bytes);
    total = Math.min(samples, idx.dims[0]);
    calibration = idxToCalibration({ idx, input: spec, samples: total, batch });
  }

  const t0 = performance.now();
  const excludeNodes = flags.exclude ? String(flags.exclude).split(',').filter(Boolean) : undefined;
  const result = await quantize({ model, calibration, method, percentile, samples: total, excludeNodes, onProgress: progressBar() });
  await writeFile(out, result.model);
  process.stdout.write(`${formatSummary(result.summary)}\n`);
  const i = result.info;
  process.stdout.write(
    `\nwrote ${out}: ${(model.length / 1024).toFixed(0)} KiB fp32 -> ${(result.model.length / 1024).toFixed(0)} KiB int8 QDQ ` +
      `(opset ${i.opset}, ${i.method}${i.percentile ? ` ${i.percentile}` : ''}, ${i.samples} samples, ` +
      `${i.foldedBatchNorms} BN folded, ${i.fusedRelus} ReLU fused, ${((performance.now() - t0) / 1000).toFixed(1)} s)\n` +
      `quantized: ${JSON.stringify(i.quantizedNodes)}  float: ${JSON.stringify(i.floatNodes)}\n`,
  );
  // Ready to paste into the model package's model.json.
  const manifestInfo = {
    format: 'qdq',
    weights: 'int8 symmetric per-channel',
    activations: 'uint8 asymmetric per-tensor',
    calibration: { method: i.method, samples: i.samples, ...(i.percentile ? { percentile: i.percentile } : {}) },
  };
  process.stdout.write(`manifest: ${JSON.stringify({ quantization: manifestInfo })}\n`);
  return 0;
}
