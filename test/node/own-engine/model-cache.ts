/**
 * Test models built at test time and cached outside git (~/.cache/resnet-edge/engine-models): torch exports with
 * Debian's python3-torch (seeded weights), onnxruntime's own quantizers from the venv that scripts/test.sh creates
 * (~/.cache/resnet-edge/venv-hf). Each file's name carries a hash of the scripts and arguments that made
 * it, so editing a script rebuilds its models.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../../..');
const CACHE = join(homedir(), '.cache/resnet-edge/engine-models');
const DEBIAN_PY = '/usr/bin/python3';

function canImport(python: string, modules: string): boolean {
  return existsSync(python) && spawnSync(python, ['-c', `import ${modules}`], { encoding: 'utf8' }).status === 0;
}

/** Debian's python3 with torch + torchvision (scripts/test.sh installs them). */
export const hasTorch = canImport(DEBIAN_PY, 'torch, torchvision');
/**
 * A venv with the onnx and onnxruntime wheels: the one scripts/test.sh creates for the bring-your-own-model tests
 * (venv-hf), else a plain onnx venv.
 */
const VENV_PY = ['venv-hf', 'venv-onnx'].map((v) => join(homedir(), `.cache/resnet-edge/${v}/bin/python`))
  .find((py) => canImport(py, 'onnx, onnxruntime.quantization'));
export const hasOrtQuantizer = VENV_PY !== undefined;

/** Builds `out` with `python script args...` unless a file made by the same script and arguments is cached. */
function cachedRun(python: string, script: string, args: string[], tag: string): Uint8Array {
  const key = createHash('sha256').update(readFileSync(script)).update(JSON.stringify(args)).digest('hex').slice(0, 12);
  const out = join(CACHE, `${tag}-${key}.onnx`);
  if (!existsSync(out)) {
    mkdirSync(CACHE, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    const r = spawnSync(python, [script, ...args.map((a) => a.replace('{out}', tmp))], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed:\n${r.stderr}`);
    renameSync(tmp, out);
  }
  return new Uint8Array(readFileSync(out));
}

/**
 * The CIFAR ResNet-20 with option-A shortcuts (export_option_a.py), fp32.
 *
 * @example
 * ```ts
 * const fp32 = optionAResNet20({ size: 32 });
 * ```
 */
export function optionAResNet20(o: { size: number; opset?: number }): Uint8Array {
  const args = ['--out', '{out}', '--size', String(o.size), '--opset', String(o.opset ?? 13)];
  return cachedRun(DEBIAN_PY, join(HERE, 'export_option_a.py'), args, `resnet20a-${o.size}`);
}

/** A torchvision architecture (models/train/export_torchvision.py: seeded weights, BN folded), fp32, opset 13. */
export function torchvisionFp32(o: { arch: string; size: number }): Uint8Array {
  const args = ['--arch', o.arch, '--opset', '13', '--size', String(o.size), '--out', '{out}'];
  return cachedRun(DEBIAN_PY, join(ROOT, 'models/train/export_torchvision.py'), args, `${o.arch}-${o.size}`);
}

/** onnxruntime quantization modes of ort_quantize.py. */
export type OrtQuantMode = 'qdq-u8' | 'qdq-s8' | 'qop-u8' | 'qop-s8' | 'dynamic-u8' | 'dynamic-s8';

/**
 * A torchvision architecture quantized by onnxruntime (ort_quantize.py in the onnx venv): static QDQ/QOperator with
 * uint8/int8 activations (per-channel or per-tensor int8 weights), or dynamic.
 *
 * @example
 * ```ts
 * const bytes = ortQuantized({ arch: 'resnet18', size: 64, mode: 'qdq-s8', perTensor: true });
 * ```
 */
export function ortQuantized(o: { arch: string; size: number; mode: OrtQuantMode; perTensor?: boolean }): Uint8Array {
  const fp32 = torchvisionFp32(o);
  const src = join(CACHE, `${o.arch}-${o.size}-src-${createHash('sha256').update(fp32).digest('hex').slice(0, 12)}.onnx`);
  if (!existsSync(src)) writeFileSync(src, fp32);
  const args = ['--src', src, '--out', '{out}', '--mode', o.mode, ...(o.perTensor ? ['--per-tensor'] : [])];
  if (!VENV_PY) throw new Error('no python with onnx + onnxruntime (scripts/test.sh creates ~/.cache/resnet-edge/venv-hf)');
  return cachedRun(VENV_PY, join(HERE, 'ort_quantize.py'), args, `${o.arch}-${o.size}-${o.mode}${o.perTensor ? '-pt' : ''}`);
}

/**
 * The option-A ResNet-20 as model_fp16.onnx (ort_quantize.py fp16-cast: fp32 I/O behind Cast nodes; fp16-io: fp16
 * inputs and outputs).
 *
 * @example
 * ```ts
 * const fp16 = optionAResNet20Fp16({ size: 32, io: 'fp16' });
 * ```
 */
export function optionAResNet20Fp16(o: { size: number; io: 'fp32' | 'fp16' }): Uint8Array {
  const fp32 = optionAResNet20({ size: o.size });
  const src = join(CACHE, `resnet20a-${o.size}-src-${createHash('sha256').update(fp32).digest('hex').slice(0, 12)}.onnx`);
  if (!existsSync(src)) writeFileSync(src, fp32);
  if (!VENV_PY) throw new Error('no python with onnx + onnxruntime (scripts/test.sh creates ~/.cache/resnet-edge/venv-hf)');
  const mode = o.io === 'fp32' ? 'fp16-cast' : 'fp16-io';
  return cachedRun(VENV_PY, join(HERE, 'ort_quantize.py'), ['--src', src, '--out', '{out}', '--mode', mode], `resnet20a-${o.size}-${mode}`);
}

