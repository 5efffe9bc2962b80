// A Hugging Face ResNet repository (transformers' ResNetForImageClassification, built by make_hf_resnet.py) loads in one
// line over real HTTP, from a local folder and from a file: URL; each dtype picks its file; the static int8 file runs on the
// own engine bit-identical to onnxruntime-web; preprocessing equals transformers' own image processor.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryPinStore, load, preprocessEncoded, type ResNetModel } from '@resnet-edge/core';
import { main } from '../../../packages/core/src/cli/main.js';
import { serveFiles, type FileServer } from '../../../packages/core/src/testing/file-server.js';
import { cachedBuild, HF_PY } from './build-cache.js';

const dir = cachedBuild({ python: HF_PY, script: 'make_hf_resnet.py', name: 'hf-resnet' });
const parity = JSON.parse(readFileSync(join(dir, 'images/parity.json'), 'utf8')) as { parity: Array<{ image: string; shape: number[] }>; labels: string[] };
const png = (name: string) => new Uint8Array(readFileSync(join(dir, 'images', name)));
let server: FileServer;
let base: string;

beforeAll(async () => {
  server = await serveFiles({ root: dir });
  base = server.url;
});
afterAll(() => server.close());

/** Logits of one preprocessed image on a model. */
async function logits(model: ResNetModel, image: Uint8Array): Promise<Float32Array> {
  const { tensor } = await preprocessEncoded({ bytes: image, input: model.manifest.input, decode: 'exact' });
  const out = await model.runTensor(tensor);
  return out[model.manifest.output!.name].data as Float32Array;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('Hugging Face folder over HTTP', () => {
  it('one line: labels from id2label, preprocessing from preprocessor_config.json, int8 first; runs on the own engine = onnxruntime-web bit for bit', async () => {
    const pins = createMemoryPinStore();
    const progress: Array<{ loaded: number; total: number }> = [];
    const model = await load({ model: base, pins, onProgress: (p) => progress.push(p) });
    const size = readFileSync(join(dir, 'onnx/model_int8.onnx')).byteLength;
    expect(progress.at(-1)).toEqual({ loaded: size, total: size });
    expect(model.manifest.labels).toEqual(parity.labels);
    expect(model.manifest.input).toMatchObject({
      name: 'pixel_values',
      shape: [-1, 3, 224, 224],
      resize: { mode: 'shorter-side-crop', shorterSide: 256, filter: 'bicubic', cropRounding: 'floor' },
      scale: 255,
      mean: [0.485, 0.456, 0.406],
    });
    expect(model.manifest.quantization.format).toBe('qdq');
    expect(model.origin).toMatchObject({ kind: 'hf', url: base, file: 'onnx/model_int8.onnx', dtype: 'int8', integrity: 'first-download' });
    expect(model.backend).toBe('wasm');
    const ort = await load({ model: base, pins, backend: 'ort-wasm' });
    expect(ort.origin?.integrity).toBe('pinned');
    for (const p of parity.parity) expect(maxDiff(await logits(model, png(p.image)), await logits(ort, png(p.image)))).toBe(0);
    const top = await model.classify(png(parity.parity[0].image), { topK: 3 });
    expect(top.map((t) => t.label).every((l) => parity.labels.includes(l))).toBe(true);
    await Promise.all([model.dispose(), ort.dispose()]);
  });

  it('dtype picks the file: q8 -> onnx/model_quantized.onnx (dynamic), uint8, fp32; a missing dtype names what was tried', async () => {
    const expected = { q8: 'onnx/model_quantized.onnx', uint8: 'onnx/model_uint8.onnx', fp32: 'onnx/model.onnx' } as const;
    for (const [dtype, file] of Object.entries(expected) as Array<[keyof typeof expected, string]>) {
      const model = await load({ model: base, dtype });
      expect(model.origin).toMatchObject({ file, dtype });
      expect(model.manifest.quantization.format).toBe(dtype === 'fp32' ? 'none' : 'dynamic');
      // What runs them today: dynamic-quant graphs (DynamicQuantizeLinear + ConvInteger) and fp32 graphs go to
      // onnxruntime-web under auto (the own-engine dynamic-quant path is issue 13's engine work).
      const ort = await load({ model: base, dtype, backend: 'ort-wasm' });
      const own = model.backend;
      const tol = own === 'ort-wasm' || dtype !== 'fp32' ? 0 : 1e-4;
      expect(maxDiff(await logits(model, png(parity.parity[1].image)), await logits(ort, png(parity.parity[1].image)))).toBeLessThanOrEqual(tol);
      console.log(`dtype ${dtype}: ${file} ran on ${own}`);
      await Promise.all([model.dispose(), ort.dispose()]);
    }
    await expect(load({ model: base, dtype: 'fp16' })).rejects.toMatchObject({ code: 'UNKNOWN_MODEL', message: expect.stringContaining('onnx/model_fp16.onnx') });
  });

  it('preprocessing equals transformers ConvNextImageProcessor (PIL bicubic, floor crop) on odd-sized images', async () => {
    const model = await load({ model: base });
    for (const p of parity.parity) {
      const want = new Float32Array(readFileSync(join(dir, 'images', `${p.image}.pixel_values.f32`)).buffer.slice(0));
      const { tensor } = await preprocessEncoded({ bytes: png(p.image), input: model.manifest.input, decode: 'exact' });
      expect(tensor.dims).toEqual(p.shape);
      // Same 8-bit pixels; the normalization differs only in float rounding (x * (1/255) vs x / 255).
      expect(maxDiff(tensor.data as Float32Array, want)).toBeLessThan(2e-6);
    }
    // The same images through torchvision's round-half-even crop would be a pixel off on odd margins.
    const shifted = { ...model.manifest.input, resize: { ...model.manifest.input.resize, cropRounding: 'half-even' as const } };
    const odd = parity.parity[0];
    const { tensor } = await preprocessEncoded({ bytes: png(odd.image), input: shifted, decode: 'exact' });
    expect(maxDiff(tensor.data as Float32Array, new Float32Array(readFileSync(join(dir, 'images', `${odd.image}.pixel_values.f32`)).buffer.slice(0)))).toBeGreaterThan(0.1);
    await model.dispose();
  });

  it('the same folder as a local path (relative and absolute), a file: URL, a config.json URL, and a folder URL without the slash', async () => {
    const sources = [relative(process.cwd(), dir), `${dir}/`, pathToFileURL(`${dir}/`), `${base}config.json`, base.replace(/\/$/, '')];
    for (const model of sources) {
      const m = await load({ model, backend: 'wasm' });
      expect(m.origin?.file).toBe('onnx/model_int8.onnx');
      await m.dispose();
    }
  });

  it('a file that changes upstream after its first download is INTEGRITY_MISMATCH; a declared sha256 is checked', async () => {
    const pins = createMemoryPinStore();
    const url = `${base}onnx/model_int8.onnx`;
    const labels = parity.labels;
    const first = await load({ model: url, labels, preprocess: 'imagenet-hf', pins });
    expect(first.origin).toMatchObject({ kind: 'onnx', file: 'model_int8.onnx', integrity: 'first-download' });
    await first.dispose();
    const original = readFileSync(join(dir, 'onnx/model_int8.onnx'));
    const changed = new Uint8Array(original);
    changed[changed.length - 1] ^= 1;
    server.set('onnx/model_int8.onnx', { body: changed });
    try {
      await expect(load({ model: url, labels, preprocess: 'imagenet-hf', pins })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
      await expect(load({ model: url, labels, preprocess: 'imagenet-hf', sha256: first.origin!.sha256 })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
    } finally {
      server.set('onnx/model_int8.onnx', undefined);
    }
    const declared = await load({ model: url, labels, preprocess: 'imagenet-hf', sha256: first.origin!.sha256 });
    expect(declared.origin?.integrity).toBe('declared');
    await declared.dispose();
  });

  it('ONNX bytes with labels and a preset; without labels or preprocessing it says what is missing', async () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'onnx/model_int8.onnx')));
    const model = await load({ model: bytes, labels: parity.labels, preprocess: 'imagenet' });
    expect(model.origin).toMatchObject({ kind: 'bytes', integrity: 'unverified' });
    expect(model.manifest.input.resize).toEqual({ mode: 'shorter-side-crop', shorterSide: 256, filter: 'bilinear' });
    expect(model.backend).toBe('wasm');
    await model.dispose();
    await expect(load({ model: bytes, preprocess: 'imagenet' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('labels') });
    await expect(load({ model: bytes, labels: parity.labels })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('preprocess') });
  });

  it('resnet-edge pack turns the folder (over HTTP) into a package that classifies through the CLI, as the folder itself does', async () => {
    const out = mkdtempSync(join(tmpdir(), 're-hfpack-'));
    try {
      const lines: string[] = [];
      const io = { stdout: { write: (t: string) => lines.push(t) }, stderr: { write: (t: string) => lines.push(t) } };
      expect(await main(['pack', base, '--out', out, '--dtype', 'int8'], io)).toBe(0);
      expect(lines.join('')).toMatch(/verified: loads from model.json \(sha256 checked\) and runs on wasm/);
      const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
      expect(manifest).toMatchObject({ labels: parity.labels, files: [{ path: 'model_int8.onnx', role: 'model' }], provenance: { dtype: 'int8', format: 'huggingface' } });
      lines.length = 0;
      expect(await main(['classify', join(dir, 'images', parity.parity[2].image), '--model', out, '--json'], io)).toBe(0);
      const packaged = JSON.parse(lines.join('')).results[0].result;
      expect(parity.labels).toContain(packaged[0].label);
      // The Hugging Face folder itself works as --model too, with the same answer.
      lines.length = 0;
      expect(await main(['classify', join(dir, 'images', parity.parity[2].image), '--model', dir, '--json'], io)).toBe(0);
      expect(JSON.parse(lines.join('')).results[0].result).toEqual(packaged);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
