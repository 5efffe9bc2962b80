import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { encode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import type { CliIO } from './io.js';
import { ResNetEdgeError } from '../errors.js';
import { validateManifest } from '../package/manifest.js';
import type { ModelManifest } from '../package/manifest-types.js';
import { decodeModel } from '../onnx/index.js';
import { load } from '../runtime/load.js';
import { errorCode } from '../testing/error-code.js';
import { qdqProblemsAroundConvs } from '../testing/quantizer-helpers.js';
import { runQuantizeCli } from './quantize.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../test-fixtures/quantize');
const tinyModel = join(fixtures, 'tiny-op13.onnx'); // input [N, 3, 32, 32] -> 10 logits
const fmnist = join(here, '../../../../models/fmnist-resnet20');
const dir = mkdtempSync(join(tmpdir(), 're-qcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

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

/** Calibration images in a folder with a subfolder (the CLI searches recursively) and a non-image file it skips. */
const images = join(dir, 'images');
mkdirSync(join(images, 'nested'), { recursive: true });
for (let k = 0; k < 4; k++) {
  const data = Uint8Array.from({ length: 40 * 30 * 3 }, (_, i) => ((i * (k + 3)) ^ (i >> 4)) & 0xff);
  writeFileSync(join(images, k < 2 ? '' : 'nested', `img${k}.png`), encode({ width: 40, height: 30, data, channels: 3 }));
}
writeFileSync(join(images, 'notes.txt'), 'ignored');
const labelsFile = join(dir, 'labels.txt');
writeFileSync(labelsFile, `${Array.from({ length: 10 }, (_, i) => `thing ${i}`).join('\r\n')}\r\n\r\n`);

function collector(): CliIO & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => err.push(s) }, out: () => out.join(''), err: () => err.join('') };
}

describe('resnet-edge quantize', () => {
  it('quantizes with a gzipped IDX file and writes a package whose sizes and sha256 match the files', async () => {
    const calib = join(dir, 'calib-idx3-ubyte.gz');
    writeFileSync(calib, gzipSync(idxFile(40)));
    const out = join(dir, 'Tiny IDX');
    const io = collector();
    const argv = [tinyModel, '--out', out, '--calib', calib, '--preset', 'imagenet', '--size', '32', '--labels', labelsFile, '--samples', '20', '--batch', '8', '--method', 'mse'];
    expect(await runQuantizeCli(argv, io)).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['model.int8.onnx', 'model.json']);
    const int8 = new Uint8Array(readFileSync(join(out, 'model.int8.onnx')));
    expect(qdqProblemsAroundConvs(decodeModel(int8))).toEqual([]);
    const manifest = validateManifest(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')));
    expect(manifest.id).toBe('tiny-idx');
    expect(manifest.files).toEqual([{ path: 'model.int8.onnx', role: 'model', bytes: int8.byteLength, sha256: sha256(int8) }]);
    expect(manifest.labels).toEqual(Array.from({ length: 10 }, (_, i) => `thing ${i}`));
    expect(manifest.input).toMatchObject({ shape: [-1, 3, 32, 32], channels: 'rgb', mean: [0.485, 0.456, 0.406], resize: { mode: 'shorter-side-crop', shorterSide: 37 } });
    expect(manifest.quantization).toMatchObject({ format: 'qdq', calibration: { method: 'mse', samples: 20 } });
    const fp32 = new Uint8Array(readFileSync(tinyModel));
    expect(manifest.provenance).toMatchObject({ source: { file: 'tiny-op13.onnx', bytes: fp32.byteLength, sha256: sha256(fp32) }, preprocessing: 'preset imagenet', calibrationData: { kind: 'idx', samples: 20 } });
    expect(io.err()).toMatch(/\[#+\] 20\/20 calibration samples/);
    expect(io.out()).toMatch(/^tensor +op +observed/);
    expect(io.out()).toContain(`wrote ${join(out, 'model.json')}`);
  });

  it('round trip: quantize from images, load the package by its model.json, classify like the fp32 model', async () => {
    const out = join(dir, 'tiny-img');
    const argv = ['quantize', tinyModel, '--out', out, '--calib', images, '--preset', 'imagenet', '--size', '32', '--labels', labelsFile, '--id', 'tiny-int8', '--json'];
    const io = collector();
    expect(await main(argv, io)).toBe(0);
    const printed = JSON.parse(io.out());
    expect(printed.manifest.id).toBe('tiny-int8');
    expect(printed.manifest.quantization.calibration.samples).toBe(4); // all four images, the nested ones included

    const int8 = await load({ model: pathToFileURL(join(out, 'model.json')).href, backend: 'wasm' });
    const manifest = int8.manifest;
    const fp32Bytes = new Uint8Array(readFileSync(tinyModel));
    const fp32Manifest: ModelManifest = { ...manifest, quantization: { format: 'none' }, files: [{ path: 'tiny-op13.onnx', role: 'model', bytes: fp32Bytes.byteLength, sha256: sha256(fp32Bytes) }] };
    const fp32 = await load({ model: { manifest: fp32Manifest, bytes: fp32Bytes }, backend: 'ort-wasm' });
    try {
      for (const name of ['img0.png', 'nested/img3.png']) {
        const bytes = new Uint8Array(readFileSync(join(images, name)));
        const [q] = await int8.classify(bytes, { topK: 1 });
        const [f] = await fp32.classify(bytes, { topK: 1 });
        expect(manifest.labels).toContain(q.label);
        expect(q.label).toBe(f.label);
        expect(Math.abs(q.score - f.score)).toBeLessThan(0.05);
      }
    } finally {
      await int8.dispose();
      await fp32.dispose();
    }
    // The CLI takes the package folder as a plain path.
    const cli = collector();
    expect(await main(['classify', join(images, 'img1.png'), '--model', out, '--top-k', '3', '--json'], cli)).toBe(0);
    expect(JSON.parse(cli.out()).results[0].result).toHaveLength(3);
  });

  it('--preset fmnist matches how the shipped classifier was trained: the quantized package gets the samples right', async () => {
    // Regression for the old default (x/255, no mean/std), whose package got 6 of these 20 samples right. Calibrating on
    // the samples that are then classified is fine here: this checks preprocessing, not accuracy on unseen data.
    const labels = join(dir, 'fmnist-labels.json');
    writeFileSync(labels, JSON.stringify(JSON.parse(readFileSync(join(fmnist, 'model.json'), 'utf8')).labels));
    const out = join(dir, 'fmnist-int8');
    const samples = join(fmnist, 'samples');
    expect(await main(['quantize', join(fmnist, 'model.fp32.onnx'), '--out', out, '--calib', samples, '--preset', 'fmnist', '--labels', labels, '--method', 'minmax', '--json'], collector())).toBe(0);
    const files = readdirSync(samples).filter((f) => f.endsWith('.png')).map((f) => join(samples, f));
    const io = collector();
    expect(await main(['classify', ...files, '--model', out, '--top-k', '1', '--json'], io)).toBe(0);
    const slug = (s: string) => s.toLowerCase().replace(/[^a-z]+/g, '-');
    const results = JSON.parse(io.out()).results as Array<{ file: string; result: Array<{ label: string }> }>;
    const right = results.filter((r) => r.file.split('/').pop()!.startsWith(`${slug(r.result[0].label)}`)).length;
    expect(results).toHaveLength(20);
    expect(right).toBeGreaterThanOrEqual(18);
  });

  it('takes the input spec, labels, output and license from a source manifest', async () => {
    const manifestPath = join(dir, 'fp32-model.json');
    writeFileSync(manifestPath, JSON.stringify({
      labels: Array.from({ length: 10 }, (_, i) => `class ${i}`),
      license: 'CC0',
      input: { name: 'input', shape: [1, 3, 32, 32], layout: 'NCHW', channels: 'rgb', resize: { mode: 'stretch', filter: 'bilinear' }, scale: 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    }));
    const out = join(dir, 'from-manifest');
    expect(await runQuantizeCli([tinyModel, '--out', out, '--calib', images, '--manifest', manifestPath, '--method', 'minmax'], collector())).toBe(0);
    const m = validateManifest(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')));
    expect(m.labels[9]).toBe('class 9');
    expect(m.license).toBe('CC0');
    expect(m.input).toMatchObject({ shape: [-1, 3, 32, 32], mean: [0.5, 0.5, 0.5], resize: { mode: 'stretch' } });
    expect(m.provenance).toMatchObject({ preprocessing: 'manifest fp32-model.json' });
  });

  it('refuses to run without preprocessing or with inconsistent inputs, before calibrating or writing anything', async () => {
    const out = join(dir, 'never-written');
    const base = [tinyModel, '--out', out, '--calib', images];
    const fail = async (argv: string[]) => {
      try {
        await runQuantizeCli(argv, collector());
      } catch (e) {
        expect(e).toBeInstanceOf(ResNetEdgeError);
        return `${(e as ResNetEdgeError).code}: ${(e as Error).message}`;
      }
      return 'ok';
    };
    expect(await fail([...base, '--labels', labelsFile])).toMatch(/^INVALID_ARGUMENT: Say how inputs are preprocessed: --manifest .* or --preset imagenet\|fmnist/);
    expect(await fail([...base, '--preset', 'imagenet', '--labels', labelsFile])).toBe('INVALID_ARGUMENT: The model\'s input is 32x32, the spec 224x224; pass --size 32.');
    expect(await fail([...base, '--preset', 'fmnist', '--size', '32', '--labels', labelsFile])).toMatch(/^INVALID_ARGUMENT: The model's input has 3 channels, the spec 1 \(grayscale\); pass --channels/);
    expect(await fail([...base, '--preset', 'imagenet', '--size', '32'])).toMatch(/^INVALID_ARGUMENT: Pass --labels <file>/);
    writeFileSync(join(dir, 'three.txt'), 'a\nb\nc\n');
    expect(await fail([...base, '--preset', 'imagenet', '--size', '32', '--labels', join(dir, 'three.txt')])).toMatch(/^INVALID_ARGUMENT: There are 3 labels but the model's output "\S+" has 10 classes/);
    const ok = [...base, '--preset', 'imagenet', '--size', '32', '--labels', labelsFile];
    expect(await fail([...ok, '--preset', 'fmnist', '--manifest', join(fmnist, 'model.json')])).toMatch(/^INVALID_ARGUMENT: Give --manifest or --preset, not both/);
    expect(await fail([...ok, '--preset', 'cifar'])).toMatch(/^INVALID_ARGUMENT: --preset must be one of imagenet, fmnist/);
    expect(await fail([...ok, '--samples', '0'])).toMatch(/^INVALID_ARGUMENT: --samples must be an integer/);
    expect(await fail([...ok, '--method', 'best'])).toMatch(/^INVALID_ARGUMENT: --method must be one of minmax, percentile, mse, entropy/);
    expect(await fail([...ok, '--size', '32x'])).toMatch(/^INVALID_ARGUMENT: --size must be N or HxW/);
    expect(await fail([...ok, '--id', 'Bad Id'])).toMatch(/^INVALID_ARGUMENT: --id must be lowercase/);
    expect(await fail([...ok, '--out', join(dir, 'x.onnx')])).toMatch(/^INVALID_ARGUMENT: --out is the package folder/);
    expect(await fail([...ok, '--out', labelsFile])).toMatch(/^INVALID_ARGUMENT: --out .* exists and is not a folder/);
    expect(await fail([...ok, '--bogus', '1'])).toBe('INVALID_ARGUMENT: Unknown option --bogus.');
    expect(await fail([...ok, '--calib', fixtures])).toMatch(/^INVALID_ARGUMENT: No \.jpg\/\.png\/\.webp images in /);
    writeFileSync(join(dir, 'empty.idx'), new Uint8Array([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0, 32]));
    expect(await fail([...ok, '--calib', join(dir, 'empty.idx')])).toMatch(/^INVALID_ARGUMENT: \S+empty\.idx holds no images/);
    expect(await fail(['--out', out, '--calib', images])).toMatch(/^INVALID_ARGUMENT: Expected exactly one fp32 model path/);
    expect(await fail([tinyModel, '--calib', images, '--preset', 'imagenet'])).toMatch(/^INVALID_ARGUMENT: --out <dir> and --calib <images> are required/);
    // Missing inputs get the file codes, not INTERNAL.
    expect(await fail([join(dir, 'missing.onnx'), ...ok.slice(1)])).toMatch(/^FILE_NOT_FOUND: No such model: /);
    expect(await fail([...ok, '--calib', join(dir, 'missing-calib')])).toMatch(/^FILE_NOT_FOUND: No such calibration data: /);
    expect(await fail([...ok, '--labels', join(dir, 'missing.txt')])).toMatch(/^FILE_NOT_FOUND: No such labels file: /);
    expect(await fail([...ok, '--preset', 'imagenet', '--labels', images])).toMatch(/^NOT_A_FILE: /);
    expect(existsSync(out)).toBe(false);
  });

  it('names a calibration image that does not decode', async () => {
    const bad = join(dir, 'bad-images');
    mkdirSync(bad);
    writeFileSync(join(bad, 'a.png'), readFileSync(join(images, 'img0.png')).subarray(0, 60));
    const argv = [tinyModel, '--out', join(dir, 'bad-out'), '--calib', bad, '--preset', 'imagenet', '--size', '32', '--labels', labelsFile];
    const err = await runQuantizeCli(argv, collector()).catch((e) => e);
    expect(err.code).toBe('IMAGE_DECODE_FAILED');
    expect(err.message).toContain(join(bad, 'a.png'));
    expect(existsSync(join(dir, 'bad-out'))).toBe(false); // the folder it created is removed again
  });

  it('usage errors exit 2 through main, with the stable code in --json mode', async () => {
    const io = collector();
    expect(await main(['quantize', tinyModel, '--out', join(dir, 'o'), '--calib', images, '--json'], io)).toBe(2);
    expect(JSON.parse(io.out()).error.code).toBe('INVALID_ARGUMENT');
    expect(await errorCode(runQuantizeCli([tinyModel, '--out', join(dir, 'o'), '--calib', images, '--preset', 'imagenet', '--size', '32', '--labels', '/nonexistent/labels.txt'], collector()))).toBe('FILE_NOT_FOUND');
  });
});
