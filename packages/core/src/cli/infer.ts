/** `resnet-edge classify` and `resnet-edge detect`: one model, many images, each with its result or its own error. */
import { ResNetEdgeError, serializeError, type SerializedError } from '../errors.js';
import type { BackendName } from '../backends/types.js';
import { DEFAULT_MODELS } from '../package/default-models.js';
import { load } from '../runtime/load.js';
import { MAX_THREADS } from '../runtime/load-options.js';
import type { ResNetModel } from '../runtime/model.js';
import { parseArgs, type OptionKind } from './args.js';
import type { CliIO } from './io.js';
import { readLocalFile } from './local-file.js';
import { modelBaseUrl, modelSource } from './model-source.js';
import { choiceOption, intOption, numberOption, stringOption } from './option-values.js';

/** Largest image file read (the SDK's default byte limit for Blobs): bigger files are IMAGE_TOO_LARGE before reading. */
const MAX_IMAGE_FILE_BYTES = 64 * 2 ** 20;
const BACKENDS = ['auto', 'wasm', 'webgpu', 'ort-wasm', 'ort-webgpu'] as const satisfies readonly BackendName[];
const DEFAULT_MODEL = { classify: DEFAULT_MODELS.classification, detect: DEFAULT_MODELS.detection } as const;

/** One line of output per image: its result or its error. */
export type FileResult = { file: string; ms: number; result: unknown } | { file: string; error: SerializedError };

/**
 * Runs `classify` or `detect` over the images in `argv`; returns the exit code (0 all ok, 1 any image failed).
 * Usage problems throw `INVALID_ARGUMENT` before the model loads; a model that does not load throws its own code.
 *
 * @example
 * ```ts
 * const code = await runInference({ command: 'classify', argv: ['shoe.png', '--top-k', '3'], io: processIO() });
 * ```
 */
export async function runInference(o: { command: 'classify' | 'detect'; argv: string[]; io: CliIO }): Promise<number> {
  const { command, io } = o;
  const options: Record<string, OptionKind> = {
    json: 'boolean',
    model: 'string',
    backend: 'string',
    threads: 'string',
    decode: 'string',
    'model-base-url': 'string',
    [command === 'classify' ? 'top-k' : 'threshold']: 'string',
  };
  const { positionals, flags } = parseArgs({ argv: o.argv, options });
  const topK = intOption({ flags, name: 'top-k', min: 1, max: 1000 }) ?? 5;
  const threshold = numberOption({ flags, name: 'threshold', min: 0, max: 1 });
  const threads = intOption({ flags, name: 'threads', min: 1, max: MAX_THREADS });
  const backend = choiceOption({ flags, name: 'backend', choices: BACKENDS }) ?? 'auto';
  const decode = choiceOption({ flags, name: 'decode', choices: ['fast', 'exact'] as const });
  const baseUrl = stringOption({ flags, name: 'model-base-url' });
  if (positionals.length === 0) throw new ResNetEdgeError('INVALID_ARGUMENT', 'No images given.');

  const model = await load({
    model: await modelSource(stringOption({ flags, name: 'model' }) ?? DEFAULT_MODEL[command]),
    backend,
    modelBaseUrl: baseUrl === undefined ? undefined : modelBaseUrl(baseUrl),
    numThreads: threads,
    preprocess: decode ? { decode } : undefined,
  });
  const header = { model: model.manifest.id, backend: model.backend };
  if (!flags.json) io.stdout.write(`model ${header.model} on ${header.backend}\n`);
  const results: FileResult[] = [];
  try {
    for (const file of positionals) {
      const r = await runOne({ model, command, file, topK, threshold });
      results.push(r);
      if (!flags.json) printResult(io, r);
    }
  } finally {
    await model.dispose();
  }
  const failed = results.filter((r) => 'error' in r).length;
  if (flags.json) io.stdout.write(`${JSON.stringify({ ...header, results }, null, 2)}\n`);
  else if (failed) io.stderr.write(`${failed} of ${results.length} image${results.length === 1 ? '' : 's'} failed.\n`);
  return failed ? 1 : 0;
}

async function runOne(o: { model: ResNetModel; command: 'classify' | 'detect'; file: string; topK: number; threshold?: number }): Promise<FileResult> {
  try {
    const bytes = await readLocalFile({ path: o.file, role: 'image', maxBytes: MAX_IMAGE_FILE_BYTES });
    const t0 = performance.now();
    const result =
      o.command === 'classify'
        ? await o.model.classify(bytes, { topK: o.topK })
        : await o.model.detect(bytes, o.threshold !== undefined ? { scoreThreshold: o.threshold } : {});
    return { file: o.file, ms: +(performance.now() - t0).toFixed(2), result };
  } catch (e) {
    return { file: o.file, error: serializeError(e) };
  }
}

function printResult(io: CliIO, r: FileResult): void {
  if ('error' in r) {
    io.stderr.write(`${r.file}: error ${r.error.code}: ${r.error.message}\n`);
    return;
  }
  const rows = r.result as Array<{ label: string; score: number; box?: Record<string, number> }>;
  let text = `${r.file} (${r.ms} ms)\n`;
  if (rows.length === 0) text += '  (nothing above the threshold)\n';
  for (const x of rows) {
    const box = x.box ? `  [${[x.box.xmin, x.box.ymin, x.box.xmax, x.box.ymax].map((v) => v.toFixed(1)).join(', ')}]` : '';
    text += `  ${(x.score * 100).toFixed(2).padStart(6)}%  ${x.label}${box}\n`;
  }
  io.stdout.write(text);
}
