/**
 * The quantize CLI's output: a complete model package (`model.int8.onnx` + `model.json` with labels, input spec, size,
 * sha256 and quantization provenance) that `validateManifest` accepts and `load()` opens.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { readLocalFile } from './local-file.js';
import { ModelLoadError, ResNetEdgeError } from '../errors.js';
import { sha256Hex } from '../package/integrity.js';
import { validateManifest } from '../package/manifest.js';
import type { InputSpec, ModelManifest } from '../package/manifest-types.js';
import type { GraphIo } from './quantize-input.js';
import type { QuantizeResult } from '../quantizer/quantize.js';

/** File name of the int8 graph inside the package, as in the shipped packages. */
export const MODEL_FILE = 'model.int8.onnx';
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Reads a labels file: one label per line (blank trailing lines ignored) or a JSON array of strings.
 *
 * @example
 * ```ts
 * const labels = await readLabels('imagenet-labels.txt'); // ['tench', 'goldfish', ...]
 * ```
 */
export async function readLabels(path: string): Promise<string[]> {
  const text = new TextDecoder().decode(await readLocalFile({ path, role: 'labels file' })).replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('[')) {
    let labels: unknown;
    try {
      labels = JSON.parse(text);
    } catch (e) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `The labels file ${path} starts with "[" but is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string' && l.trim() !== '')) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `The labels file ${path} must be a JSON array of non-empty strings.`);
    }
    return labels as string[];
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const blank = lines.indexOf('');
  if (lines.length === 0) throw new ResNetEdgeError('INVALID_ARGUMENT', `The labels file ${path} is empty.`);
  if (blank >= 0) throw new ResNetEdgeError('INVALID_ARGUMENT', `Line ${blank + 1} of the labels file ${path} is empty (labels are one per line, in output order).`);
  return lines;
}

/**
 * Reads the fp32 model's manifest for its input spec, labels, task and heads; it may be partial (only `input` is needed).
 *
 * @example
 * ```ts
 * const source = await readSourceManifest('models/fmnist-resnet20/model.json');
 * ```
 */
export async function readSourceManifest(path: string): Promise<Partial<ModelManifest> & { input: InputSpec }> {
  const text = new TextDecoder().decode(await readLocalFile({ path, role: 'manifest' }));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelLoadError('INVALID_MANIFEST', `The manifest ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || !('input' in json) || typeof json.input !== 'object') {
    throw new ModelLoadError('INVALID_MANIFEST', `The manifest ${path} has no "input" spec.`);
  }
  return json as Partial<ModelManifest> & { input: InputSpec };
}

/**
 * The package id: `--id` when given (checked), else the output folder's name made into a valid id.
 *
 * @example
 * ```ts
 * packageId({ out: 'out/ResNet18 int8' }); // 'resnet18-int8'
 * ```
 */
export function packageId(o: { id?: string; out: string }): string {
  if (o.id !== undefined) {
    if (!ID_PATTERN.test(o.id)) throw new ResNetEdgeError('INVALID_ARGUMENT', `--id must be lowercase letters, digits, ".", "_" or "-" (got "${o.id}").`);
    return o.id;
  }
  const derived = basename(resolve(o.out)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '');
  return derived || 'model';
}

/**
 * The manifest before calibration (placeholder file entry), validated so a bad spec, label list or head fails in
 * seconds rather than after calibrating.
 *
 * @example
 * ```ts
 * const draft = draftManifest({ id: 'tiny', source: undefined, labels, input: spec, graph: graphIo(model) });
 * ```
 */
export function draftManifest(o: {
  id: string;
  source: Partial<ModelManifest> | undefined;
  labels: string[];
  input: InputSpec;
  graph: GraphIo;
}): ModelManifest {
  const { source, graph } = o;
  const task = source?.task ?? 'classification';
  const out = graph.outputs[0];
  const manifest: ModelManifest = {
    schemaVersion: 1,
    id: o.id,
    name: source?.name ? `${source.name} (int8)` : o.id,
    description: 'int8 QDQ model written by resnet-edge quantize.',
    task,
    labels: o.labels,
    input: o.input,
    ...(task === 'classification'
      ? { output: source?.output ?? { name: out?.name ?? 'output', kind: out?.producer === 'Softmax' ? 'probabilities' : 'logits' } }
      : {}),
    ...(source?.detection ? { detection: source.detection } : {}),
    quantization: { format: 'qdq' },
    files: [{ path: MODEL_FILE, role: 'model', bytes: 1, sha256: '0'.repeat(64) }],
    ...(source?.license ? { license: source.license } : {}),
  };
  if (manifest.output) {
    const named = graph.outputs.find((x) => x.name === manifest.output!.name);
    if (!named) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `The manifest's output "${manifest.output.name}" is not an output of the model (it has ${graph.outputs.map((x) => x.name).join(', ')}).`);
    }
    const classes = named.dims[named.dims.length - 1];
    if (classes !== undefined && classes !== o.labels.length) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `There are ${o.labels.length} labels but the model's output "${named.name}" has ${classes} classes.`);
    }
  }
  return validateManifest(manifest);
}

/**
 * Checks `--out` is (or can become) a folder, creating it; a path to an existing file or one ending in `.onnx` is
 * `INVALID_ARGUMENT` (the output is a package folder, not a single file). Returns the topmost folder it created, if any.
 *
 * @example
 * ```ts
 * await prepareOutDir('resnet18-int8/');
 * ```
 */
export async function prepareOutDir(out: string): Promise<{ created?: string }> {
  if (/\.onnx$/i.test(out)) throw new ResNetEdgeError('INVALID_ARGUMENT', `--out is the package folder (it gets ${MODEL_FILE} and model.json), not an .onnx file: ${out}`);
  const st = await stat(out).catch(() => undefined);
  if (st && !st.isDirectory()) throw new ResNetEdgeError('INVALID_ARGUMENT', `--out ${out} exists and is not a folder.`);
  return { created: await mkdir(out, { recursive: true }).catch((e: Error) => writeFailed(out, e)) };
}

function writeFailed(path: string, e: Error): never {
  throw new ResNetEdgeError('FILE_WRITE_FAILED', `Cannot write ${path}: ${e.message}`, { cause: e, details: { path, errno: (e as { code?: string }).code } });
}

/**
 * Fills in the real file entry (size and sha256 of the int8 bytes), the quantization record and provenance, validates
 * the manifest and writes both files into `out`.
 *
 * @example
 * ```ts
 * const manifest = await writePackage({ out: 'tiny-int8', draft, result, provenance: { source: 'tiny.onnx' } });
 * ```
 */
export async function writePackage(o: { out: string; draft: ModelManifest; result: QuantizeResult; provenance: Record<string, unknown> }): Promise<ModelManifest> {
  const { info, model } = o.result;
  const manifest = validateManifest({
    ...o.draft,
    quantization: {
      format: 'qdq',
      weights: 'int8, symmetric, per output channel; int32 bias',
      activations: 'uint8, asymmetric, per tensor',
      calibration: { method: info.method, samples: info.samples, ...(info.percentile !== undefined ? { percentile: info.percentile } : {}) },
    },
    files: [{ path: MODEL_FILE, role: 'model', bytes: model.byteLength, sha256: await sha256Hex(model) }],
    provenance: o.provenance,
  });
  const modelPath = join(o.out, MODEL_FILE);
  const manifestPath = join(o.out, 'model.json');
  // The graph first, the manifest last: an interrupted rerun leaves a package that fails its integrity check, never stale bytes.
  await writeFile(modelPath, model).catch((e: Error) => writeFailed(modelPath, e));
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`).catch((e: Error) => writeFailed(manifestPath, e));
  return manifest;
}
