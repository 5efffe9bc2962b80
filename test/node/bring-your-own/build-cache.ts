/**
 * Models the bring-your-own tests build at test time, cached outside git (~/.cache/resnet-edge/byo-models/<name>-<hash>):
 * each is made by a Python script whose text and arguments name the folder, so editing a script rebuilds it.
 * Interpreters: Debian's /usr/bin/python3 (python3-torch, python3-torchvision: detectors) and the venv scripts/test.sh
 * creates for transformers (~/.cache/resnet-edge/venv-hf: torch, transformers, onnx, onnxruntime).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
const CACHE = join(homedir(), '.cache/resnet-edge/byo-models');
export const DEBIAN_PY = '/usr/bin/python3';
export const HF_PY = join(homedir(), '.cache/resnet-edge/venv-hf/bin/python');

/**
 * Runs `python script --out <dir> args...` once and returns `<dir>` (a folder the script fills).
 *
 * @example
 * ```ts
 * const dir = cachedBuild({ python: HF_PY, script: 'make_hf_resnet.py', name: 'hf-resnet' });
 * ```
 */
export function cachedBuild(o: { python: string; script: string; name: string; args?: string[]; timeoutMs?: number }): string {
  const script = join(HERE, o.script);
  const args = o.args ?? [];
  const key = createHash('sha256').update(readFileSync(script)).update(JSON.stringify(args)).digest('hex').slice(0, 12);
  const out = join(CACHE, `${o.name}-${key}`);
  if (existsSync(join(out, '.done'))) return out;
  if (!existsSync(o.python)) throw new Error(`${o.python} is missing: scripts/test.sh creates it (npm test), or run its venv step.`);
  const tmp = `${out}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const r = spawnSync('nice', ['-n', '10', o.python, script, '--out', tmp, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: o.timeoutMs ?? 600_000 });
  if (r.status !== 0) throw new Error(`${o.script} failed (${r.status ?? r.signal}):\n${r.stderr?.slice(-4000)}`);
  writeFileSync(join(tmp, '.done'), '');
  rmSync(out, { recursive: true, force: true });
  renameSync(tmp, out);
  return out;
}
