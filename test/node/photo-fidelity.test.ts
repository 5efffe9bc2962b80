// Decode to size on real photos at phone size (issue 17): scikit-image sample photos upscaled to ~12 MP with
// sensor-like noise (test/node/photos/make-photos.py, generated once into ~/.cache), in every layout the fast path
// handles differently. For each photo and model, the fast path's tensor (what classify() feeds the model by
// default) is compared with the exact path's (full decode + Pillow-exact resize): mean |difference| in 8-bit levels
// and cosine, then both models' outputs. PNG must be identical; JPEG differs only by DCT-domain scaling.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { torchvisionModel } from '../../bench/prepare-models.js';
import { decodeImage, load, preprocess, preprocessEncoded, type ResNetModel } from '../../packages/core/src/index.js';
import type { InputSpec } from '../../packages/core/src/package/manifest-types.js';
import { testManifest } from '../../packages/core/src/testing/test-manifest.js';
import { canMakePhotos, testPhotos } from './photos/photos.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const haveSkimage = canMakePhotos();
let DIR = '';

interface Row {
  photo: string;
  kind: string;
  model: string;
  path: string;
  scale: number;
  meanLevels: number;
  maxLevels: number;
  cosine: number;
  output: string;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

/** Mean and max |difference| in 8-bit levels, per channel's std and the spec's scale, and cosine of two NCHW tensors. */
function compare(a: Float32Array, b: Float32Array, spec: InputSpec): { meanLevels: number; maxLevels: number; cosine: number } {
  const plane = a.length / spec.shape[1];
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const std = spec.std.length === 1 ? spec.std[0] : spec.std[Math.floor(i / plane)];
    const d = Math.abs(a[i] - b[i]) * std * spec.scale; // x = (v / scale - mean) / std, so dv = dx * std * scale
    sum += d;
    max = Math.max(max, d);
  }
  return { meanLevels: sum / a.length, maxLevels: max, cosine: cosine(a, b) };
}

function softmax(x: ArrayLike<number>): number[] {
  const m = Math.max(...Array.from(x));
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / s);
}
const argmax = (x: number[]) => x.indexOf(Math.max(...x));
const top5 = (x: number[]) => x.map((v, i) => [v, i]).sort((p, q) => q[0] - p[0]).slice(0, 5).map((p) => p[1]);

describe.skipIf(!haveSkimage)('decode to size on ~12 MP photos: fast vs exact', () => {
  let photos: Record<string, { kind: string; size: [number, number] }>;
  const models: Array<{ name: string; model: ResNetModel; spec: InputSpec }> = [];
  const rows: Row[] = [];

  beforeAll(async () => {
    ({ dir: DIR, photos } = testPhotos());
    const fm = await load({ model: 'fmnist-resnet20', backend: 'wasm' });
    models.push({ name: 'fmnist-resnet20', model: fm, spec: fm.manifest.input });
    // torchvision ResNet-18 architecture, seeded random weights, int8 by our quantizer (cached in models/train/out).
    const { int8 } = await torchvisionModel({ arch: 'resnet18' });
    const bytes = new Uint8Array(readFileSync(int8));
    const manifest = testManifest({
      id: 'resnet18-seeded',
      labels: Array.from({ length: 1000 }, (_, i) => `c${i}`),
      input: { shape: [1, 3, 224, 224], channels: 'rgb', resize: { mode: 'shorter-side-crop', shorterSide: 256, filter: 'bilinear' }, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      output: { name: 'logits', kind: 'logits' },
      quantization: { format: 'qdq' },
      files: [{ path: 'model.int8.onnx', role: 'model', bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }],
    });
    const r18 = await load({ model: { manifest, bytes }, backend: 'wasm' });
    models.push({ name: 'resnet18 (seeded)', model: r18, spec: manifest.input });
  }, 900_000);

  afterAll(async () => {
    for (const m of models) await m.model.dispose();
    if (rows.length === 0) return;
    const fmt = (v: number, d: number) => v.toFixed(d);
    const table = [
      '| photo | layout | model | fast path | scale | mean abs diff (levels) | max | cosine | outputs fast vs exact |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.photo} | ${r.kind} | ${r.model} | ${r.path} | 1/${r.scale} | ${fmt(r.meanLevels, 3)} | ${fmt(r.maxLevels, 1)} | ${fmt(r.cosine, 6)} | ${r.output} |`),
    ].join('\n');
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    writeFileSync(join(ROOT, 'test-artifacts/photo-fidelity.md'), `${table}\n`);
    console.log(`\n${table}\n`);
  });

  it('every photo: PNG fast == exact bit for bit; JPEG within a fraction of a level; both models agree', async () => {
    const checks: Array<{ name: string; modelName: string; d: ReturnType<typeof compare>; path: string; logitCos: number; maxProb: number; top1Ok: boolean }> = [];
    for (const [name, p] of Object.entries(photos)) {
      const bytes = new Uint8Array(readFileSync(join(DIR, name)));
      const full = await decodeImage(bytes); // the exact path's decode, shared by both models
      expect(full.width * full.height).toBeGreaterThan(11_000_000);
      for (const { name: modelName, model, spec } of models) {
        const fast = await preprocessEncoded({ bytes, input: spec });
        const exact = preprocess({ image: full, input: spec });
        const d = compare(fast.tensor.data as Float32Array, exact.tensor.data as Float32Array, spec);
        const yf = Array.from((await model.runTensor(fast.tensor)).logits.data as Float32Array);
        const ye = Array.from((await model.runTensor(exact.tensor)).logits.data as Float32Array);
        const pf = softmax(yf);
        const pe = softmax(ye);
        const maxProb = Math.max(...pf.map((v, i) => Math.abs(v - pe[i])));
        const logitCos = cosine(yf, ye);
        const overlap = top5(pf).filter((i) => top5(pe).includes(i)).length;
        const maxLogit = Math.max(...yf.map((v, i) => Math.abs(v - ye[i])));
        const sameTop1 = argmax(pf) === argmax(pe);
        // A different top-1 is only acceptable as a near tie: the exact path's own lead over the fast path's pick is
        // within twice the largest logit change.
        const lead = ye[argmax(pe)] - ye[argmax(pf)];
        const top1 = sameTop1 ? 'same' : `differs (near tie: exact lead ${lead.toFixed(3)}, max logit change ${maxLogit.toFixed(3)})`;
        const output = `top-1 ${top1}, top-5 overlap ${overlap}/5, max abs prob diff ${maxProb.toFixed(4)}, logit cosine ${logitCos.toFixed(6)}`;
        rows.push({ photo: name, kind: p.kind, model: modelName, path: fast.decoded.path, scale: fast.decoded.scale, ...d, output });
        checks.push({ name, modelName, d, path: fast.decoded.path, logitCos, maxProb, top1Ok: sameTop1 || lead <= 2 * maxLogit });
      }
    }
    // Asserted after the loop so the table (printed in afterAll) always covers every photo.
    for (const c of checks) {
      if (c.name.endsWith('.png')) expect([c.name, c.modelName, c.d.maxLevels]).toEqual([c.name, c.modelName, 0]);
      else expect([c.name, c.modelName, c.path, c.d.meanLevels < 0.5, c.d.maxLevels <= 8, c.d.cosine > 0.9995]).toEqual([c.name, c.modelName, 'jpeg-dct', true, true, true]);
      // Out-of-domain photos make the 28x28 Fashion-MNIST net jumpy: a few hundredths of probability for 0.06 levels.
      expect([c.name, c.modelName, c.top1Ok, c.logitCos > 0.998, c.maxProb < 0.05]).toEqual([c.name, c.modelName, true, true, true]);
    }
  }, 900_000);

  it('classify() takes the fast path by default and the exact path on request', async () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, 'chelsea-orient6.jpg')));
    const { model, spec } = models[0];
    const viaFast = softmax((await model.runTensor((await preprocessEncoded({ bytes, input: spec })).tensor)).logits.data as Float32Array);
    const viaExact = softmax((await model.runTensor(preprocess({ image: await decodeImage(bytes), input: spec }).tensor)).logits.data as Float32Array);
    const byScore = (r: Array<{ label: string; score: number }>) => model.manifest.labels.map((l) => r.find((x) => x.label === l)!.score);
    const fast = byScore(await model.classify(bytes, { topK: 10 }));
    const exact = byScore(await model.classify(bytes, { topK: 10, preprocess: { decode: 'exact' } }));
    fast.forEach((v, i) => expect(v).toBeCloseTo(viaFast[i], 6));
    exact.forEach((v, i) => expect(v).toBeCloseTo(viaExact[i], 6));
  }, 300_000);
});
