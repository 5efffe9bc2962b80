/**
 * The full-int8 TFLite twins of the bench's torchvision ResNets (same seeded weights), for the LiteRT.js column of
 * `npm run bench:browser`. Cached outside git in ~/.cache/resnet-edge/litert/ (RESNET_EDGE_LITERT_DIR overrides);
 * built on first use by models/train/litert_convert.py in a TensorFlow venv (~/.cache/resnet-edge/venv-tf, created
 * with `pip install tensorflow-cpu onnxruntime scikit-image` when missing; LITERT_PYTHON overrides the interpreter).
 * Only the bench calls this: `npm test` never needs TensorFlow.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { torchvisionModel } from '../prepare-models.js';

const ROOT = new URL('../..', import.meta.url).pathname;
export const LITERT_DIR = process.env.RESNET_EDGE_LITERT_DIR ?? join(homedir(), '.cache/resnet-edge/litert');
const VENV = join(homedir(), '.cache/resnet-edge/venv-tf');
const VENV_PACKAGES = ['tensorflow-cpu', 'onnxruntime', 'scikit-image'];

/** What litert_convert.py records next to each .tflite. */
export interface LitertMeta {
  arch: string;
  size: number;
  layout: 'NHWC';
  macs: number;
  calibration: 'lcg' | 'photos';
  io: { input: [string, number[]]; output: [string, number[]] };
  tfliteBytes: number;
  ops: Record<string, number>;
  convWeights: string[];
  checks: {
    maxAbsDiffKerasVsTorch: number;
    maxAbsTorchLogit: number;
    top1KerasVsTorch: string;
    maxAbsDiffKerasVsOnnxFp32?: number;
    tfliteInt8VsTorchFp32: { maxAbsDiffBenchInput: number; top1AgreementPhotos: string };
  };
  photos: { file: string; names: string[]; dims: number[] };
  torchTop1Photos: number[];
  tfliteInterpreterTop1Photos: number[];
  tfliteInterpreterBenchLogits: number[];
  tfliteXnnpackBenchLogits: number[];
  /** DELEGATE nodes of TF's interpreter with its XNNPACK delegate: one covering input to output = the whole graph. */
  xnnpackPartitions: Array<{ coversInput: boolean; coversOutput: boolean }>;
  versions: Record<string, string>;
}

function run(cmd: string, args: string[], what: string, log: (l: string) => void): void {
  log(`[litert] ${what}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

function python(log: (l: string) => void): string {
  if (process.env.LITERT_PYTHON) return process.env.LITERT_PYTHON;
  const py = join(VENV, 'bin/python');
  if (!existsSync(join(VENV, '.litert-ready'))) {
    if (!existsSync(py)) run('/usr/bin/python3', ['-m', 'venv', VENV], 'create the TensorFlow venv', log);
    run(join(VENV, 'bin/pip'), ['install', ...VENV_PACKAGES], 'install TensorFlow (minutes, once)', log);
    run(py, ['-c', `open(${JSON.stringify(join(VENV, '.litert-ready'))}, 'w').close()`], 'mark the venv ready', log);
  }
  return py;
}

/**
 * Path and metadata of the int8 TFLite twin of a bench torchvision ResNet, building it (minutes) when missing.
 *
 * @example
 * ```ts
 * const { tflite, meta } = await litertModel({ arch: 'resnet50' });
 * ```
 */
export async function litertModel(o: { arch: 'resnet18' | 'resnet50'; log?: (line: string) => void }): Promise<{ tflite: string; meta: LitertMeta; photos: string }> {
  const log = o.log ?? ((l: string) => console.log(l));
  const base = join(LITERT_DIR, `${o.arch}-224`);
  const tflite = `${base}.int8.tflite`;
  if (!existsSync(tflite)) {
    mkdirSync(LITERT_DIR, { recursive: true });
    const { fp32 } = await torchvisionModel({ arch: o.arch });
    run(python(log), [join(ROOT, 'models/train/litert_convert.py'), '--arch', o.arch, '--onnx', fp32, '--out-dir', LITERT_DIR], `build ${o.arch} TFLite`, log);
  }
  const meta = JSON.parse(readFileSync(`${base}.meta.json`, 'utf8')) as LitertMeta;
  return { tflite, meta, photos: join(LITERT_DIR, meta.photos.file) };
}
