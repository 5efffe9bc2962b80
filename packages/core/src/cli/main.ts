/** `resnet-edge` command line: classify, detect, quantize. */
import { readFile } from 'node:fs/promises';
import { ResNetEdgeError, serializeError } from '../errors.js';
import { load } from '../runtime/load.js';
import type { BackendName } from '../backends/types.js';
import { parseArgs } from './args.js';

const USAGE = `Usage:
  resnet-edge classify <images...> [--model <id|url>] [--backend auto|wasm|webgpu|ort-wasm|ort-webgpu] [--top-k 5] [--threads N] [--json]
  resnet-edge detect <images...>   [--model <id|url>] [--backend ...] [--threshold 0.3] [--threads N] [--json]
  resnet-edge quantize <fp32.onnx> --out <int8.onnx> --calib <dir|file.idx.gz> [--manifest model.json] [--method minmax|percentile]
Images: JPEG, PNG or WebP files. Default models: fmnist-resnet20 (classify), fmnist-scenes-centernet (detect).`;

/**
 * Runs the CLI; returns the process exit code (0 ok, 1 a file failed, 2 usage error).
 *
 * @example
 * ```ts
 * process.exitCode = await main(['classify', 'shoe.png', '--json']);
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'classify' || command === 'detect') return await runInference(command, rest);
    if (command === 'quantize') {
      const { runQuantizeCli } = await import('../quantizer/cli.js');
      return await runQuantizeCli(rest);
    }
    process.stdout.write(`${USAGE}\n`);
    return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  } catch (e) {
    const s = serializeError(e);
    process.stderr.write(`error ${s.code}: ${s.message}\n`);
    return s.code === 'INVALID_ARGUMENT' ? 2 : 1;
  }
}

async function runInference(command: 'classify' | 'detect', argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs({ argv, booleans: ['json'], known: ['json', 'model', 'backend', 'top-k', 'threshold', 'model-base-url', 'threads'] });
  const threads = flags.threads === undefined ? undefined : Number(flags.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 16)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `--threads must be an integer from 1 to 16 (got ${String(flags.threads)}).`);
  }
  if (positionals.length === 0) throw new ResNetEdgeError('INVALID_ARGUMENT', `No images given.\n${USAGE}`);
  const model = await load({
    model: String(flags.model ?? (command === 'classify' ? 'fmnist-resnet20' : 'fmnist-scenes-centernet')),
    backend: (flags.backend as BackendName | undefined) ?? 'auto',
    modelBaseUrl: flags['model-base-url'] as string | undefined,
    numThreads: threads,
  });
  let failed = 0;
  const results: Array<Record<string, unknown>> = [];
  try {
    for (const file of positionals) {
      try {
        const bytes = new Uint8Array(await readFile(file));
        const t0 = performance.now();
        const result =
          command === 'classify'
            ? await model.classify(bytes, { topK: Number(flags['top-k'] ?? 5) })
            : await model.detect(bytes, flags.threshold !== undefined ? { scoreThreshold: Number(flags.threshold) } : {});
        results.push({ file, ms: +(performance.now() - t0).toFixed(2), result });
      } catch (e) {
        failed++;
        results.push({ file, error: serializeError(e) });
      }
    }
    if (flags.json) process.stdout.write(`${JSON.stringify({ model: model.manifest.id, backend: model.backend, results }, null, 2)}\n`);
    else printTable(model.manifest.id, model.backend, results);
  } finally {
    await model.dispose();
  }
  return failed ? 1 : 0;
}

function printTable(id: string, backend: string, results: Array<Record<string, unknown>>): void {
  process.stdout.write(`model ${id} on ${backend}\n`);
  for (const r of results) {
    if (r.error) {
      const e = r.error as { code: string; message: string };
      process.stdout.write(`${r.file}: error ${e.code}: ${e.message}\n`);
      continue;
    }
    process.stdout.write(`${r.file} (${r.ms} ms)\n`);
    for (const x of r.result as Array<{ label: string; score: number; box?: Record<string, number> }>) {
      const box = x.box ? `  [${[x.box.xmin, x.box.ymin, x.box.xmax, x.box.ymax].map((v) => v.toFixed(1)).join(', ')}]` : '';
      process.stdout.write(`  ${(x.score * 100).toFixed(2).padStart(6)}%  ${x.label}${box}\n`);
    }
  }
}
