import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { encode } from 'fast-png';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResNetEdgeError } from '../errors.js';
import { decodeModel } from '../onnx/index.js';
import { runQuantizeCli } from './cli.js';
import { idxToCalibration, readIdx } from './idx.js';
import { qdqProblemsAroundConvs } from '../testing/quantizer-helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../test-fixtures/quantize');
const tinyModel = join(fixtures, 'tiny-op13.onnx'); // input [N, 3, 32, 32]
const dir = mkdtempSync(join(tmpdir(), 're-qcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A synthetic IDX3 file of `count` 32x32 grayscale images. */
function idxFile(count: number): Uint8Array {
  const header = new Uint8Array(16);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, 0x00000803);
  dv.setUint32(4, count);
  dv.setUint32(8, 32);
  dv.setUint32(12, 32);
  const body = Uint8Array.from({ length: count * 32 * 32 }, (_, i) => (i * 37 + (i >> 5) * 11) & 0xff);
  const out = new Uint8Array(16 + body.length);
  out.set(header);
  out.set(body, 16);
  return out;
}

let stderr: string[];
let stdout: string[];
beforeEach(() => {
  stderr = [];
  stdout = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (stdout.push(String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('IDX reader', () => {
  it('parses headers, rejects malformed files, and preprocesses per the input spec', () => {
    const idx = readIdx(idxFile(5));
    expect(idx.dims).toEqual([5, 32, 32]);
    const spec = {
      name: 'input', shape: [1, 1, 16, 16] as [number, number, number, number], layout: 'NCHW' as const, channels: 'grayscale' as const,
      resize: { mode: 'stretch' as const, filter: 'bilinear' as const }, scale: 255, mean: [0.5], std: [0.25],
    };
    const batches = [...idxToCalibration({ idx, input: spec, samples: 5, batch: 2 })];
    expect(batches.map((b) => b.dims)).toEqual([[2, 1, 16, 16], [2, 1, 16, 16], [1, 1, 16, 16]]);
    for (const b of batches) for (const v of b.data) expect(v).toBeGreaterThanOrEqual(-2), expect(v).toBeLessThanOrEqual(2);
    expect(() => readIdx(new Uint8Array([0, 0, 8]))).toThrow(ResNetEdgeError);
    expect(() => readIdx(gzipSync(idxFile(1)))).toThrow(/gunzip/);
    expect(() => readIdx(idxFile(2).subarray(0, 100))).toThrow(/header says/);
    expect(() => readIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]))).toThrow(/unsigned byte/);
  });
});

describe('runQuantizeCli', () => {
  it('quantizes with a gzipped IDX file, shows progress and the range table', async () => {
    const calib = join(dir, 'calib-idx3-ubyte.gz');
    writeFileSync(calib, gzipSync(idxFile(40)));
    const out = join(dir, 'tiny.int8.onnx');
    const code = await runQuantizeCli([tinyModel, '--out', out, '--calib', calib, '--samples', '20', '--batch', '8', '--method', 'mse']);
    expect(code).toBe(0);
    expect(qdqProblemsAroundConvs(decodeModel(new Uint8Array(readFileSync(out))))).toEqual([]);
    const err = stderr.join('');
    expect(err).toContain('no --manifest');
    expect(err).toMatch(/\[#+\] 20\/20 calibration samples/);
    const text = stdout.join('');
    expect(text).toMatch(/^tensor +op +observed/);
    expect(text).toContain('20 samples');
    expect(text).toContain('"quantization"');
  });

  it('quantizes from a directory of PNG images with a manifest input spec', async () => {
    const images = join(dir, 'images');
    mkdirSync(images);
    for (let k = 0; k < 3; k++) {
      const data = Uint8Array.from({ length: 40 * 30 * 3 }, (_, i) => (i * (k + 3)) & 0xff);
      writeFileSync(join(images, `img${k}.png`), encode({ width: 40, height: 30, data, channels: 3 }));
    }
    writeFileSync(join(images, 'notes.txt'), 'ignored');
    const manifest = join(dir, 'model.json');
    writeFileSync(manifest, JSON.stringify({
      input: { name: 'input', shape: [1, 3, 32, 32], layout: 'NCHW', channels: 'rgb', resize: { mode: 'shorter-side-crop', shorterSide: 36, filter: 'bilinear' }, scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    }));
    const out = join(dir, 'tiny-img.int8.onnx');
    expect(await runQuantizeCli([tinyModel, '--out', out, '--calib', images, '--manifest', manifest])).toBe(0);
    expect(stdout.join('')).toContain('3 samples');
  });

  it('reports usage errors as INVALID_ARGUMENT', async () => {
    const bad = async (argv: string[]) => {
      try {
        await runQuantizeCli(argv);
      } catch (e) {
        return (e as ResNetEdgeError).code;
      }
      return 'ok';
    };
    expect(await bad([tinyModel])).toBe('INVALID_ARGUMENT');
    expect(await bad([tinyModel, '--out', 'x', '--calib', dir, '--samples', '0'])).toBe('INVALID_ARGUMENT');
    expect(await bad([tinyModel, '--out', 'x', '--calib', join(dir, 'nope')])).not.toBe('ok');
    expect(await bad([tinyModel, '--out', 'x', '--calib', fixtures])).toBe('INVALID_ARGUMENT'); // no images there
    expect(await bad([tinyModel, '--bogus', '1'])).toBe('INVALID_ARGUMENT');
  });
});
