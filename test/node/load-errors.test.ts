// Model-loading failures: each one is a typed error with a stable code, never a crash or a hang.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelLoadError, load, sha256Hex } from '../../packages/core/src/index.js';
import { testManifest } from '../../packages/core/src/testing/test-manifest.js';

const ONNX = '/usr/share/libonnx-testdata/data/node/test_relu/model.onnx';

function manifestFor(bytes: number, sha256: string, inputName = 'x') {
  return testManifest({
    id: 'tiny',
    input: { name: inputName, shape: [1, 1, 4, 4], channels: 'grayscale' },
    files: [{ path: 'model.onnx', role: 'model', bytes, sha256 }],
  });
}

async function writePackage(modelBytes: Uint8Array, manifest: unknown): Promise<URL> {
  const dir = mkdtempSync(join(tmpdir(), 'resnet-edge-pkg-'));
  writeFileSync(join(dir, 'model.onnx'), modelBytes);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
  return pathToFileURL(join(dir, 'model.json'));
}

describe('load() errors', () => {
  it('unknown model id -> UNKNOWN_MODEL', async () => {
    await expect(load({ model: 'resnet-9000' })).rejects.toMatchObject({ code: 'UNKNOWN_MODEL', name: 'ModelLoadError' });
  });
  it('missing manifest URL -> UNKNOWN_MODEL', async () => {
    await expect(load({ model: pathToFileURL('/nonexistent/model.json') })).rejects.toMatchObject({ code: 'UNKNOWN_MODEL' });
  });
  it('an image path where the model goes -> INVALID_ARGUMENT; a path through a file -> UNKNOWN_MODEL', async () => {
    const png = 'models/fmnist-resnet20/samples/bag-112.png';
    await expect(load({ model: png })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/looks like an image/) });
    await expect(load({ model: pathToFileURL(`${png}/model.json`) })).rejects.toMatchObject({ code: 'UNKNOWN_MODEL', message: expect.stringMatching(/is a file, not a folder/) });
  });
  it('sha256 mismatch -> INTEGRITY_MISMATCH', async () => {
    const bytes = new Uint8Array(readFileSync(ONNX));
    const url = await writePackage(bytes, manifestFor(bytes.length, '0'.repeat(64)));
    await expect(load({ model: url })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
  });
  it('size mismatch -> INTEGRITY_MISMATCH (checked before hashing)', async () => {
    const bytes = new Uint8Array(readFileSync(ONNX));
    const url = await writePackage(bytes, manifestFor(bytes.length + 1, await sha256Hex(bytes)));
    await expect(load({ model: url })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
  });
  it('bytes that are not ONNX (integrity OK) -> INVALID_MODEL', async () => {
    const junk = new TextEncoder().encode('this is not an onnx model, just text padding it out a bit');
    const url = await writePackage(junk, manifestFor(junk.length, await sha256Hex(junk)));
    const err = await load({ model: url }).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.code).toBe('INVALID_MODEL');
  });
  it('in-memory bytes + manifest with wrong sha -> INTEGRITY_MISMATCH', async () => {
    const bytes = new Uint8Array(readFileSync(ONNX));
    await expect(load({ model: { manifest: manifestFor(bytes.length, 'f'.repeat(64)), bytes } })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
  });
  it('graph input not named as in the manifest -> INVALID_MODEL', async () => {
    const bytes = new Uint8Array(readFileSync(ONNX));
    await expect(load({ model: { manifest: manifestFor(bytes.length, await sha256Hex(bytes), 'input'), bytes } })).rejects.toMatchObject({ code: 'INVALID_MODEL' });
  });
  it('broken manifest JSON -> INVALID_MANIFEST', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'resnet-edge-pkg-'));
    writeFileSync(join(dir, 'model.json'), '{"schemaVersion": 1, ');
    await expect(load({ model: pathToFileURL(join(dir, 'model.json')) })).rejects.toMatchObject({ code: 'INVALID_MANIFEST' });
  });
  it('unknown backend name -> INVALID_ARGUMENT', async () => {
    await expect(load({ model: 'fmnist-resnet20', backend: 'cuda' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
