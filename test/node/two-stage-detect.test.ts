// Two-stage detection packages (detection.refine + a role "refine" file): loading (bytes = model then refine file,
// integrity of each), both CPU engines giving the same detections, the second stage really deciding the labels, and
// typed errors for broken packages. The stages here are the repository's own detector and its Fashion-MNIST classifier
// (28x28 grayscale, 10 labels: it fits the refine contract), so this test does not depend on which detector ships.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { load, sha256Hex, type ModelManifest } from '../../packages/core/src/index.js';
import { cropBoxes } from '../../packages/core/src/tasks/refine.js';
import { softmax } from '../../packages/core/src/tasks/softmax.js';
import { loadDetectionScenes, sceneRgba } from './detect-fixture.js';

// The detector alone (the shipped package may itself be two-stage: its own second stage is left out here).
const shipped = JSON.parse(readFileSync('models/fmnist-scenes-centernet/model.json', 'utf8')) as ModelManifest;
const det: ModelManifest = {
  ...shipped,
  detection: { ...shipped.detection!, refine: undefined },
  files: shipped.files.filter((f) => f.role === 'model'),
};
const cls = JSON.parse(readFileSync('models/fmnist-resnet20/model.json', 'utf8')) as ModelManifest;
const file = (dir: string, m: ModelManifest, role: string) => new Uint8Array(readFileSync(`models/${dir}/${m.files.find((f) => f.role === role)!.path}`));
const detBytes = file('fmnist-scenes-centernet', det, 'model');
const clsBytes = file('fmnist-resnet20', cls, 'model');
const spec = { input: 'input', output: 'logits', size: 28, context: 1.2, minSide: 4, eps: 0.02 };

async function twoStage(refineBytes = clsBytes, refine: Record<string, unknown> = spec) {
  const manifest = {
    ...det,
    detection: { ...det.detection!, refine },
    files: [
      det.files.find((f) => f.role === 'model')!,
      { path: 'refine.int8.onnx', role: 'refine', bytes: refineBytes.length, sha256: await sha256Hex(refineBytes) },
    ],
  } as unknown as ModelManifest;
  const bytes = new Uint8Array(detBytes.length + refineBytes.length);
  bytes.set(detBytes);
  bytes.set(refineBytes, detBytes.length);
  return { manifest, bytes };
}

const scenes = loadDetectionScenes();
const N = 12;

describe('two-stage detection (detection.refine)', () => {
  it('labels come from the second stage; both CPU engines give the same detections', async () => {
    const pkg = await twoStage();
    const byBackend: Record<string, unknown[]> = {};
    for (const backend of ['wasm', 'ort-wasm'] as const) {
      const model = await load({ model: pkg, backend });
      try {
        byBackend[backend] = [];
        for (let i = 0; i < N; i++) byBackend[backend].push(await model.detect(sceneRgba(scenes, i)));
      } finally {
        await model.dispose();
      }
    }
    const round = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'number' ? +x.toFixed(4) : x)));
    expect(round(byBackend.wasm)).toEqual(round(byBackend['ort-wasm']));

    // Recompute one scene by hand: one-stage candidates (same threshold), crops, the classifier alone, relabel.
    const one = await load({ model: { manifest: det, bytes: detBytes }, backend: 'wasm' });
    const classifier = await load({ model: { manifest: { ...cls, input: { ...cls.input, shape: [-1, 1, 28, 28] } }, bytes: clsBytes }, backend: 'wasm' });
    try {
      const image = { data: Float32Array.from(scenes.pixels.subarray(0, 96 * 96), (v) => v / 255), dims: [1, 1, 96, 96] };
      const first = await one.detect(image);
      const crops = cropBoxes({ image, boxes: first.map((d) => d.box), spec });
      const logits = (await classifier.runTensor(crops)).logits.data;
      const expected = first
        .map((d, k) => {
          const p = softmax(logits.subarray(k * 10, k * 10 + 10));
          const best = p.indexOf(Math.max(...p));
          return { label: cls.labels[best], score: d.score * p[best] };
        })
        .filter((d) => d.score >= det.detection!.scoreThreshold)
        .sort((a, b) => b.score - a.score);
      const got = (byBackend.wasm[0] as { label: string; score: number }[]).map((d) => ({ label: d.label, score: d.score }));
      expect(got.map((d) => d.label)).toEqual(expected.map((d) => d.label).slice(0, got.length));
      got.forEach((d, k) => expect(d.score).toBeCloseTo(expected[k].score, 4));
      // The second stage changes what a user sees (else this test would prove nothing about it).
      const firstLabels = first.filter((d) => d.score >= det.detection!.scoreThreshold).map((d) => d.label);
      expect(JSON.stringify(got.map((d) => d.label))).not.toBe(JSON.stringify(firstLabels));
    } finally {
      await one.dispose();
      await classifier.dispose();
    }
  }, 120_000);

  it('rejects bytes without the refine file, a tampered refine file, or a refine graph that does not fit, with typed errors', async () => {
    const pkg = await twoStage();
    await expect(load({ model: { manifest: pkg.manifest, bytes: detBytes }, backend: 'wasm' })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
    const tampered = pkg.bytes.slice();
    tampered[tampered.length - 100] ^= 1;
    await expect(load({ model: { manifest: pkg.manifest, bytes: tampered }, backend: 'wasm' })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
    const wrongInput = await twoStage(clsBytes, { ...spec, input: 'pixels' });
    await expect(load({ model: wrongInput, backend: 'wasm' })).rejects.toMatchObject({ code: 'INVALID_MODEL' });
    const wrongSize = await twoStage(clsBytes, { ...spec, size: 32 });
    await expect(load({ model: wrongSize, backend: 'ort-wasm' })).rejects.toMatchObject({ code: 'INVALID_MODEL' });
  }, 60_000);
});
