/**
 * `resnet-edge pack <model.onnx | folder | url> --out <dir>`: an ONNX file (+ labels + preset) or a Hugging Face folder
 * (local or remote) -> a model package (`<dir>/<file>.onnx` + `model.json` with labels, input spec, head, size, sha256
 * and provenance), checked by loading it back and running it once. Options and their meaning: PACK_USAGE (usage.ts).
 */
import { rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResNetEdgeError } from '../errors.js';
import type { InputOverrides } from '../package/infer-manifest.js';
import { INPUT_PRESET_NAMES, type InputPresetName } from '../package/input-presets.js';
import { validateManifest } from '../package/manifest.js';
import type { ModelManifest, ResizePolicy } from '../package/manifest-types.js';
import { resolvePackage } from '../package/resolve.js';
import { MODEL_DTYPES, type ModelDtype } from '../package/source-types.js';
import { loadModel } from '../runtime/load-model.js';
import type { BackendName } from '../backends/types.js';
import { COCO_CATEGORIES } from '../tasks/coco-categories.js';
import { parseArgs } from './args.js';
import { processIO, type CliIO } from './io.js';
import { checkLocalModelPath } from './model-source.js';
import { choiceOption, numberListOption, stringOption } from './option-values.js';
import { parseSize } from './quantize-input.js';
import { packageId, prepareOutDir, readLabels } from './quantize-package.js';
import { coreVersion } from './version.js';

const OPTIONS = {
  out: 'string', labels: 'string', preset: 'string', dtype: 'string', id: 'string', size: 'string', channels: 'string',
  mean: 'string', std: 'string', resize: 'string', filter: 'string', sha256: 'string', backend: 'string', json: 'boolean',
} as const;

function bad(message: string): never {
  throw new ResNetEdgeError('INVALID_ARGUMENT', message);
}

/**
 * Runs the pack command; returns the exit code (0 ok). Usage problems are `INVALID_ARGUMENT`, a model that does not
 * load or run is the load error (`INVALID_MODEL`, `UNSUPPORTED_OP`, ...), and nothing is left in `--out` then.
 *
 * @example
 * ```ts
 * process.exitCode = await runPackCli(['resnet18.onnx', '--out', 'resnet18/', '--labels', 'labels.txt', '--preset', 'imagenet']);
 * ```
 */
export async function runPackCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  const { positionals, flags } = parseArgs({ argv, options: OPTIONS });
  if (positionals.length !== 1) bad(`Expected exactly one model: an .onnx file, a Hugging Face folder or a URL (got ${positionals.length}).`);
  const out = stringOption({ flags, name: 'out' });
  if (!out) bad('--out <dir> is required.');
  const labelsArg = stringOption({ flags, name: 'labels' });
  const labels = labelsArg === undefined ? undefined : labelsArg === 'coco' ? [...COCO_CATEGORIES] : await readLabels(labelsArg);
  const preset = choiceOption({ flags, name: 'preset', choices: INPUT_PRESET_NAMES }) as InputPresetName | undefined;
  const dtype = choiceOption({ flags, name: 'dtype', choices: MODEL_DTYPES }) as ModelDtype | undefined;
  const backend = (choiceOption({ flags, name: 'backend', choices: ['auto', 'wasm', 'webgpu', 'ort-wasm', 'ort-webgpu'] as const }) ?? 'auto') as BackendName;
  const input: InputOverrides = {};
  const size = stringOption({ flags, name: 'size' });
  const channels = choiceOption({ flags, name: 'channels', choices: ['rgb', 'bgr', 'grayscale'] as const });
  if (size !== undefined) {
    const [h, w] = parseSize(size);
    input.shape = [1, channels === 'grayscale' ? 1 : 3, h, w];
  }
  if (channels) input.channels = channels;
  const mean = numberListOption({ flags, name: 'mean' });
  const std = numberListOption({ flags, name: 'std' });
  if (mean) input.mean = mean;
  if (std) input.std = std;
  const mode = choiceOption({ flags, name: 'resize', choices: ['stretch', 'shorter-side-crop', 'letterbox'] as const });
  const filter = choiceOption({ flags, name: 'filter', choices: ['bilinear', 'nearest', 'bicubic', 'lanczos', 'box', 'hamming'] as const });
  if (mode || filter) input.resize = { ...(mode ? { mode } : {}), ...(filter ? { filter } : {}) } as ResizePolicy;
  const sha256 = stringOption({ flags, name: 'sha256' });

  await checkLocalModelPath(positionals[0]);
  // URLs as they are; paths stay strings, which the resolver reads against the working directory.
  const resolved = await resolvePackage({
    model: positionals[0],
    ...(labels ? { labels } : {}),
    ...(preset ? { preset } : {}),
    ...(dtype ? { dtype } : {}),
    ...(Object.keys(input).length ? { input } : {}),
    ...(sha256 ? { sha256 } : {}),
    pins: false,
    cache: false,
  });
  const file = basename(resolved.origin?.file ?? resolved.manifest.files.find((f) => f.role === 'model')?.path ?? 'model.onnx');
  const id = flags.id !== undefined ? packageId({ id: stringOption({ flags, name: 'id' }), out }) : resolved.manifest.id;
  const version = await coreVersion();
  // A two-stage detector package keeps its second stage (same file name, already verified by the resolver).
  const refineFile = resolved.refineBytes ? resolved.manifest.files.find((f) => f.role === 'refine') : undefined;
  const refinePath = refineFile ? basename(refineFile.path) : undefined;
  const manifest: ModelManifest = validateManifest({
    ...resolved.manifest,
    id,
    files: [
      { path: file, role: 'model', bytes: resolved.bytes.byteLength, sha256: resolved.origin?.sha256 ?? resolved.manifest.files[0].sha256 },
      ...(refineFile ? [{ ...refineFile, path: refinePath }] : []),
    ],
    provenance: {
      ...resolved.manifest.provenance,
      tool: `@resnet-edge/core ${version} (resnet-edge pack)`,
      source: positionals[0],
      ...(resolved.origin ? { sourceFile: resolved.origin.file, integrityAtPack: resolved.origin.integrity, ...(resolved.origin.dtype ? { dtype: resolved.origin.dtype } : {}) } : {}),
    },
  });
  const { created } = await prepareOutDir(out);
  const modelPath = join(out, file);
  const manifestPath = join(out, 'model.json');
  try {
    // The graph first, the manifest last (as quantize does): an interrupted run never leaves a manifest without its file.
    await writeFile(modelPath, resolved.bytes);
    if (refinePath) await writeFile(join(out, refinePath), resolved.refineBytes!);
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const check = await verifyPackage(manifestPath, backend);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ out, files: [modelPath, manifestPath], manifest, verified: check }, null, 2)}\n`);
      return 0;
    }
    const i = manifest.input;
    io.stdout.write(
      `wrote ${manifestPath} and ${modelPath} (${(resolved.bytes.byteLength / 1024).toFixed(0)} KiB, sha256 ${manifest.files[0].sha256.slice(0, 16)}...)\n` +
        `${manifest.task}, ${manifest.labels.length} labels, input ${i.name} [${i.shape.join(', ')}] ${i.channels} ${i.resize.mode}/${i.resize.filter}, ` +
        `quantization ${manifest.quantization.format}${manifest.detection ? `, head ${manifest.detection.head.format}` : ''}\n` +
        `verified: loads from model.json (sha256 checked) and runs on ${check.backend}: ${check.outputs.join(', ')}\n` +
        `use it: resnet-edge ${manifest.task === 'detection' ? 'detect' : 'classify'} <image> --model ${out}\n`,
    );
    return 0;
  } catch (e) {
    // A package that does not load is not left behind.
    if (created) await rm(created, { recursive: true, force: true });
    else await Promise.all([modelPath, manifestPath, ...(refinePath ? [join(out, refinePath)] : [])].map((p) => rm(p, { force: true })));
    throw e;
  }
}

/** Loads the written package through its model.json and runs one blank input: the package is usable as written. */
async function verifyPackage(manifestPath: string, backend: BackendName): Promise<{ backend: string; outputs: string[] }> {
  const model = await loadModel({ model: pathToFileURL(manifestPath), backend });
  try {
    const [, c, h, w] = model.manifest.input.shape;
    const outputs = await model.runTensor({ data: new Float32Array(c * h * w), dims: [1, c, h, w] });
    return { backend: model.backend, outputs: Object.entries(outputs).map(([k, t]) => `${k} [${t.dims.join(', ')}]`) };
  } finally {
    await model.dispose();
  }
}
