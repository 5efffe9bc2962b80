// load()'s argument forms: every key in its place or INVALID_ARGUMENT; the { manifest, bytes, backend } shorthand honours backend.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../package/integrity.js';
import { TINY_OP13_URL, tinyOp13Manifest } from '../testing/test-manifest.js';
import { load } from './load.js';
import { checkLoadOptions, normalizeLoadArgs } from './load-options.js';

const bytes = new Uint8Array(readFileSync(TINY_OP13_URL));
const manifest = async () => tinyOp13Manifest({ id: 'tiny', files: [{ path: 'model.onnx', role: 'model', bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }] });
const invalid = (message: RegExp) => expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) });

describe('load({ manifest, bytes, backend }) (options beside the package)', () => {
  it('honours backend: the tiny model runs on onnxruntime-web when asked, on the own engine otherwise', async () => {
    const m = await manifest();
    const viaOrt = await load({ manifest: m, bytes, backend: 'ort-wasm' });
    expect(viaOrt.backend).toBe('ort-wasm');
    await viaOrt.dispose();
    const viaOwn = await load({ manifest: m, bytes, backend: 'wasm' });
    expect(viaOwn.backend).toBe('wasm');
    await viaOwn.dispose();
  });

  it('a load() option inside model: { manifest, bytes } is misplaced, not ignored', async () => {
    const m = await manifest();
    await expect(load({ model: { manifest: m, bytes, backend: 'ort-wasm' } as never })).rejects.toMatchObject(invalid(/Misplaced option "backend"/));
    await expect(load({ model: { manifest: m, bytes, extra: 1 } as never })).rejects.toMatchObject(invalid(/Unknown key "extra" in model/));
  });
});

describe('option checks', () => {
  it('unknown keys are INVALID_ARGUMENT with a hint', async () => {
    await expect(load({ model: 'fmnist-resnet20', backnd: 'wasm' } as never)).rejects.toMatchObject(invalid(/Unknown load\(\) option "backnd" \(did you mean "backend"\?\)/));
    await expect(load('fmnist-resnet20', { treads: 2 } as never)).rejects.toMatchObject(invalid(/Unknown load\(\) option "treads"\..* Known: model, backend/));
    await expect(load({ model: 'fmnist-resnet20', preprocess: { decod: 'exact' } } as never)).rejects.toMatchObject(invalid(/preprocess option "decod"/));
  });

  it('model given twice, or options in the wrong argument, are INVALID_ARGUMENT', () => {
    expect(() => normalizeLoadArgs('fmnist-resnet20', { model: 'x' })).toThrow(/Misplaced option "model"/);
    expect(() => normalizeLoadArgs({ model: 'a' }, { backend: 'wasm' })).toThrow(/takes one object/);
    expect(normalizeLoadArgs(bytes, { labels: ['a'] })).toEqual({ model: bytes, labels: ['a'] });
  });

  it('source options that do not apply to a model package are rejected, not ignored', async () => {
    await expect(load({ model: 'fmnist-resnet20', labels: ['a'] })).rejects.toMatchObject(invalid(/labels does not apply to the built-in model/));
    await expect(load({ model: { manifest: await manifest(), bytes }, dtype: 'q8' })).rejects.toMatchObject(invalid(/dtype does not apply/));
    await expect(load({ model: bytes, dtype: 'q8', labels: ['a'], preprocess: 'imagenet' })).rejects.toMatchObject(invalid(/dtype does not apply to ONNX bytes/));
  });

  it('preset names, labels, sha256 and nested input/detection keys are checked', () => {
    expect(checkLoadOptions({ model: bytes, preprocess: 'imagenet' })).toBe('imagenet');
    expect(checkLoadOptions({ model: bytes, preprocess: { preset: 'detr', decode: 'exact' } })).toBe('detr');
    expect(() => checkLoadOptions({ model: bytes, preprocess: 'imagenett' })).toThrow(/Unknown preprocess preset/);
    expect(() => checkLoadOptions({ model: bytes, labels: [] })).toThrow(/labels/);
    expect(() => checkLoadOptions({ model: bytes, sha256: 'abc' })).toThrow(/sha256/);
    expect(() => checkLoadOptions({ model: bytes, input: { size: 224 } })).toThrow(/Unknown input field "size"/);
    expect(() => checkLoadOptions({ model: bytes, input: { resize: { mod: 'stretch' } } })).toThrow(/did you mean "mode"/);
    expect(() => checkLoadOptions({ model: bytes, detection: { threshold: 0.5 } })).toThrow(/Unknown detection field "threshold"/);
  });
});

describe('option values', () => {
  it('numThreads is an integer from 1 to 16 (it was coerced: 0, NaN, 1.5 -> 1, "2" -> 2, 1e9 -> 16)', async () => {
    for (const numThreads of [0, -1, NaN, 1.5, '2', 17, 1e9, Infinity]) {
      expect(() => checkLoadOptions({ model: bytes, numThreads })).toThrow(/numThreads must be an integer from 1 to 16/);
    }
    await expect(load({ model: 'fmnist-resnet20', backend: 'wasm', numThreads: 0 })).rejects.toMatchObject(invalid(/numThreads must be an integer from 1 to 16, got 0\./));
    for (const numThreads of [undefined, 1, 16]) expect(() => checkLoadOptions({ model: bytes, numThreads })).not.toThrow();
  });

  it('{ manifest, bytes } needs bytes: null is INVALID_ARGUMENT, not a 0-byte INTEGRITY_MISMATCH', async () => {
    const m = await manifest();
    for (const b of [null, undefined, 'abc', [1, 2]]) {
      await expect(load({ manifest: m, bytes: b as never })).rejects.toMatchObject(invalid(/model\.bytes must be a Uint8Array or ArrayBuffer/));
    }
    await expect(load({ model: { manifest: m, bytes: null as never } })).rejects.toMatchObject(invalid(/model\.bytes/));
  });

  it('preprocess values are checked at load: maxPixels NaN lifted the limit, decode "bogus" ran as "fast"', async () => {
    for (const [p, message] of [
      [{ maxPixels: NaN }, /maxPixels must be a positive integer, got NaN/],
      [{ maxPixels: 'abc' }, /maxPixels must be a positive integer, got "abc"/],
      [{ maxPixels: -1 }, /maxPixels must be a positive integer/],
      [{ maxBytes: 0 }, /maxBytes must be a positive integer/],
      [{ decode: 'bogus' }, /decode must be 'fast' or 'exact'/],
      [{ alphaBackground: 'purple' }, /alphaBackground/],
    ] as const) {
      expect(() => checkLoadOptions({ model: bytes, preprocess: p })).toThrow(message);
    }
    await expect(load({ model: 'fmnist-resnet20', preprocess: { maxPixels: NaN } })).rejects.toMatchObject(invalid(/maxPixels/));
  });

  it('detection overrides follow detect(): scoreThreshold in [0, 1]', () => {
    expect(() => checkLoadOptions({ model: bytes, detection: { scoreThreshold: 5 } })).toThrow(/scoreThreshold must be a number in \[0, 1\], got 5/);
    expect(() => checkLoadOptions({ model: bytes, detection: { scoreThreshold: 0.4, iouThreshold: 0.5 } })).not.toThrow();
  });
});
