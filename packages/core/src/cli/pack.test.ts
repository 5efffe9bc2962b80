// resnet-edge pack on core's tiny ONNX fixture: a verified, loadable package, or a usage error and nothing written.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../package/integrity.js';
import { loadModel } from '../runtime/load-model.js';
import { TINY_OP13_URL } from '../testing/test-manifest.js';
import type { CliIO } from './io.js';
import { main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 're-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const onnx = fileURLToPath(TINY_OP13_URL);
const labels = join(dir, 'labels.txt');
writeFileSync(labels, Array.from({ length: 10 }, (_, i) => `class ${i}`).join('\n'));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => err.push(s) } };
  const code = await main(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('resnet-edge pack', () => {
  it('ONNX + labels + preset -> model.json with sha256 and the inferred spec, loaded back and run before it succeeds', async () => {
    const out = join(dir, 'tiny-pkg');
    const r = await run('pack', onnx, '--out', out, '--labels', labels, '--preset', 'imagenet', '--filter', 'bicubic', '--id', 'tiny');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verified: loads from model.json \(sha256 checked\) and runs on (wasm|ort-wasm)/);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    const bytes = readFileSync(onnx);
    expect(manifest).toMatchObject({
      id: 'tiny',
      task: 'classification',
      labels: Array.from({ length: 10 }, (_, i) => `class ${i}`),
      input: { shape: [-1, 3, 32, 32], resize: { mode: 'shorter-side-crop', filter: 'bicubic' }, mean: [0.485, 0.456, 0.406] },
      files: [{ path: 'tiny-op13.onnx', role: 'model', bytes: bytes.byteLength, sha256: await sha256Hex(new Uint8Array(bytes)) }],
      provenance: { tool: expect.stringContaining('resnet-edge pack'), integrityAtPack: 'unverified' },
    });
    const model = await loadModel({ model: pathToFileURL(join(out, 'model.json')) });
    expect(model.origin).toMatchObject({ kind: 'package', integrity: 'manifest' });
    await model.dispose();
    // The package classifies through the CLI like any other.
    const png = join(dir, 'x.png');
    writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64'));
    const c = await run('classify', png, '--model', out, '--json', '--top-k', '2');
    expect(c.code).toBe(0);
    expect(JSON.parse(c.out).results[0].result).toHaveLength(2);
  });

  it('without labels or preprocessing: a usage error naming what is missing, and no package left behind', async () => {
    const out = join(dir, 'nothing');
    const a = await run('pack', onnx, '--out', out, '--preset', 'imagenet');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/INVALID_ARGUMENT: Pass labels/);
    const b = await run('pack', onnx, '--out', out, '--labels', labels);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/preprocess/);
    expect(existsSync(out)).toBe(false);
    expect((await run('pack', onnx)).err).toMatch(/--out <dir> is required/);
    expect((await run('pack', '--help')).out).toMatch(/Usage: resnet-edge pack/);
  });
  it('a missing or special local model path: the CLI file codes (FILE_NOT_FOUND, NOT_A_FILE), exit 1, nothing written', async () => {
    const out = join(dir, 'missing');
    for (const path of [join(dir, 'nope.onnx'), 'nope.onnx', join(dir, 'no-such-folder', 'x')]) {
      const r = await run('pack', path, '--out', out, '--labels', labels, '--preset', 'imagenet');
      expect(r.code, path).toBe(1);
      expect(r.err, path).toMatch(/FILE_NOT_FOUND: No such model/);
    }
    const r = await run('pack', '/dev/null', '--out', out, '--labels', labels, '--preset', 'imagenet');
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/NOT_A_FILE/)]);
    expect(existsSync(out)).toBe(false);
  });
});
