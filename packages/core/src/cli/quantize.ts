/**
 * `resnet-edge quantize <fp32.onnx> --out <dir> --calib <dir | file.idx[.gz]> (--preset <name> | --manifest <model.json>)`:
 * fp32 ONNX -> int8 QDQ model package. Options and their meaning: usage.ts (QUANTIZE_USAGE).
 */
import { readdir, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from './args.js';
import { processIO, type CliIO } from './io.js';
import { readLocalFile, statPath } from './local-file.js';
import { choiceOption, intOption, numberListOption, numberOption, stringOption } from './option-values.js';
import { coreVersion } from './version.js';
import { ResNetEdgeError } from '../errors.js';
import { preprocessEncoded } from '../image/decode-to-size.js';
import type { InputSpec } from '../package/manifest-types.js';
import { decodeModel } from '../onnx/index.js';
import { sha256Hex } from '../package/integrity.js';
import type { Tensor } from '../tensor.js';
import { INPUT_PRESETS, graphIo, parseSize, resolveInputSpec, type PresetName } from './quantize-input.js';
import { draftManifest, packageId, prepareOutDir, readLabels, readSourceManifest, writePackage } from './quantize-package.js';
import { CALIBRATION_METHODS } from '../quantizer/histogram.js';
import { idxToCalibration, readIdx } from '../quantizer/idx.js';
import { quantize } from '../quantizer/quantize.js';
import { formatSummary } from '../quantizer/summary.js';

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp']);
const OPTIONS = {
  out: 'string', calib: 'string', manifest: 'string', preset: 'string', size: 'string', channels: 'string', mean: 'string',
  std: 'string', resize: 'string', labels: 'string', id: 'string', method: 'string', percentile: 'string', samples: 'string',
  batch: 'string', exclude: 'string', json: 'boolean',
} as const;

function bad(message: string): never {
  throw new ResNetEdgeError('INVALID_ARGUMENT', message);
}

/** Calibration tensors from a folder of images (searched recursively, evenly sampled) or an IDX file. */
async function calibrationSource(o: { calib: string; spec: InputSpec; samples: number; batch: number }): Promise<{ data: Iterable<Tensor> | AsyncIterable<Tensor>; total: number; kind: string }> {
  const st = await statPath({ path: o.calib, role: 'calibration data' });
  if (st.isDirectory()) {
    const all = (await readdir(o.calib, { recursive: true })).map(String);
    const images = all.filter((f) => IMAGE_EXT.has(extname(f).toLowerCase())).sort();
    if (images.length === 0) bad(`No .jpg/.png/.webp images in ${o.calib}.`);
    const step = Math.max(1, images.length / o.samples);
    const picked = Array.from({ length: Math.min(o.samples, images.length) }, (_, k) => images[Math.floor(k * step)]);
    return { data: imageCalibration({ dir: o.calib, files: picked, spec: o.spec }), total: picked.length, kind: 'images' };
  }
  let bytes = await readLocalFile({ path: o.calib, role: 'calibration file' });
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = new Uint8Array(gunzipSync(bytes));
  const idx = readIdx(bytes);
  if (idx.dims[0] === 0) bad(`${o.calib} holds no images (an IDX file with 0 items).`);
  const total = Math.min(o.samples, idx.dims[0]);
  return { data: idxToCalibration({ idx, input: o.spec, samples: total, batch: o.batch }), total, kind: 'idx' };
}

/** Images preprocessed exactly as `classify()` will preprocess them (same decoder path and resize). */
async function* imageCalibration(o: { dir: string; files: string[]; spec: InputSpec }): AsyncGenerator<Tensor> {
  for (const f of o.files) {
    const path = join(o.dir, f);
    const bytes = await readLocalFile({ path, role: 'calibration image' });
    try {
      yield (await preprocessEncoded({ bytes, input: o.spec })).tensor;
    } catch (e) {
      const err = e as ResNetEdgeError;
      throw new ResNetEdgeError(err.code ?? 'IMAGE_DECODE_FAILED', `Calibration image ${path}: ${err.message}`, { cause: e, details: { path } });
    }
  }
}

function progressBar(stderr: CliIO['stderr']): (done: number, total: number) => void {
  let lastPct = -1;
  return (done, total) => {
    const pct = Math.floor((100 * done) / total);
    if (!stderr.isTTY && pct < lastPct + 10 && done < total) return;
    lastPct = pct;
    const width = 30;
    const fill = Math.round((width * done) / total);
    const bar = `[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${done}/${total} calibration samples`;
    stderr.write(stderr.isTTY ? `\r${bar}${done >= total ? '\n' : ''}` : `${bar}\n`);
  };
}

/**
 * Runs the quantize command; returns the exit code (0 ok). Errors are thrown as ResNetEdgeError (`INVALID_ARGUMENT` for
 * usage problems, checked before calibration starts).
 *
 * @example
 * ```ts
 * process.exitCode = await runQuantizeCli(['resnet18.fp32.onnx', '--out', 'resnet18-int8', '--calib', 'calib-images/',
 *   '--preset', 'imagenet', '--labels', 'labels.txt']);
 * ```
 */
export async function runQuantizeCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  const { positionals, flags } = parseArgs({ argv, options: OPTIONS });
  if (positionals.length !== 1) bad(`Expected exactly one fp32 model path (got ${positionals.length}).`);
  const out = stringOption({ flags, name: 'out' });
  const calib = stringOption({ flags, name: 'calib' });
  if (!out || !calib) bad('--out <dir> and --calib <images> are required.');
  const manifestPath = stringOption({ flags, name: 'manifest' });
  const preset = choiceOption({ flags, name: 'preset', choices: Object.keys(INPUT_PRESETS) as PresetName[] });
  if (!manifestPath && !preset) {
    bad('Say how inputs are preprocessed: --manifest <fp32 model.json> or --preset imagenet|fmnist (with --size, --mean, --std, --channels to adjust). Calibrating on the wrong normalization silently ruins accuracy.');
  }
  if (manifestPath && preset) bad('Give --manifest or --preset, not both (override single fields with --size, --mean, --std, --channels).');
  const method = choiceOption({ flags, name: 'method', choices: CALIBRATION_METHODS }) ?? 'percentile';
  const percentile = numberOption({ flags, name: 'percentile', min: 90, max: 100 });
  const samples = intOption({ flags, name: 'samples', min: 1, max: 1_000_000 }) ?? 512;
  const batchFlag = intOption({ flags, name: 'batch', min: 1, max: 4096 });
  const size = stringOption({ flags, name: 'size' });
  const overrides = {
    size: size === undefined ? undefined : parseSize(size),
    channels: choiceOption({ flags, name: 'channels', choices: ['rgb', 'bgr', 'grayscale'] as const }),
    mean: numberListOption({ flags, name: 'mean' }),
    std: numberListOption({ flags, name: 'std' }),
    resize: choiceOption({ flags, name: 'resize', choices: ['stretch', 'shorter-side-crop', 'letterbox'] as const }),
  };
  const labelsPath = stringOption({ flags, name: 'labels' });
  const id = packageId({ id: stringOption({ flags, name: 'id' }), out });

  const modelPath = positionals[0];
  const model = await readLocalFile({ path: modelPath, role: 'model' });
  const graph = graphIo(decodeModel(model));
  const source = manifestPath ? await readSourceManifest(manifestPath) : undefined;
  const spec = resolveInputSpec({ base: source?.input ?? INPUT_PRESETS[preset!], overrides, graph });
  const labels = labelsPath ? await readLabels(labelsPath) : source?.labels;
  if (!labels) bad('Pass --labels <file> (one label per line, in output order), or a --manifest that has labels.');
  const draft = draftManifest({ id, source, labels, input: spec, graph });
  const batch = spec.shape[0] === -1 ? (batchFlag ?? 16) : 1;
  const calibration = await calibrationSource({ calib, spec, samples, batch });
  const { created } = await prepareOutDir(out);
  const t0 = performance.now();
  const excludeNodes = flags.exclude ? String(flags.exclude).split(',').filter(Boolean) : undefined;
  const result = await quantize({ model, calibration: calibration.data, method, percentile, samples: calibration.total, excludeNodes, onProgress: progressBar(io.stderr) }).catch(
    async (e: unknown) => {
      // Nothing was written yet: do not leave behind an empty package folder that looks like output.
      if (created) await rm(created, { recursive: true, force: true });
      throw e;
    },
  );
  const i = result.info;
  const manifest = await writePackage({
    out,
    draft,
    result,
    provenance: {
      tool: `@resnet-edge/core ${await coreVersion()} (resnet-edge quantize)`,
      source: { file: basename(modelPath), bytes: model.byteLength, sha256: await sha256Hex(model) },
      preprocessing: manifestPath ? `manifest ${basename(manifestPath)}` : `preset ${preset}`,
      calibrationData: { source: basename(calib), kind: calibration.kind, samples: i.samples },
      opset: i.opset,
      foldedBatchNorms: i.foldedBatchNorms,
      fusedRelus: i.fusedRelus,
      quantizedNodes: i.quantizedNodes,
      floatNodes: i.floatNodes,
      ...(excludeNodes ? { excludedNodes: excludeNodes } : {}),
      ...(source?.provenance ? { sourceProvenance: source.provenance } : {}),
    },
  });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ out, files: [join(out, manifest.files[0].path), join(out, 'model.json')], manifest }, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(`${formatSummary(result.summary)}\n`);
  io.stdout.write(
    `\nwrote ${join(out, 'model.json')} and ${join(out, manifest.files[0].path)}: ${(model.length / 1024).toFixed(0)} KiB fp32 -> ` +
      `${(result.model.length / 1024).toFixed(0)} KiB int8 QDQ (opset ${i.opset}, ${i.method}${i.percentile ? ` ${i.percentile}` : ''}, ` +
      `${i.samples} samples, ${i.foldedBatchNorms} BN folded, ${i.fusedRelus} ReLU fused, ${((performance.now() - t0) / 1000).toFixed(1)} s)\n` +
      `quantized: ${JSON.stringify(i.quantizedNodes)}  float: ${JSON.stringify(i.floatNodes)}\n` +
      `use it: resnet-edge ${manifest.task === 'detection' ? 'detect' : 'classify'} <image> --model ${out}\n`,
  );
  return 0;
}
