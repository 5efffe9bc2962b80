// Detectors people have, built here with seeded random weights: torchvision Faster R-CNN ResNet-50-FPN and RetinaNet
// (Debian python3-torchvision) and DETR-ResNet-50 (transformers). Each loads in one line (the head read from the graph's
// outputs, DETR as a Hugging Face folder over HTTP), runs through detect() on onnxruntime-web (the own engine declines
// their RoIAlign/NMS/TopK and float transformer graphs under auto), and returns the boxes onnxruntime-node gives for the
// same input tensor, mapped back to the original image.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import * as ortNode from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COCO_CATEGORIES, load, preprocessEncoded, toDetections, type Detection, type ResNetModel } from '@resnet-edge/core';
import { serveFiles, type FileServer } from '../../../packages/core/src/testing/file-server.js';
import { cachedBuild, DEBIAN_PY, HF_PY } from './build-cache.js';

const SIZE = 256;
/** First runs export ~160 MB graphs and run them on onnxruntime-web's single-threaded wasm: minutes on a loaded machine. */
const SLOW = 600_000;
const W = 400;
const H = 300;

/** A 400x300 RGB picture with a few solid shapes on a gradient, encoded as PNG (decoded bit-exactly on every path). */
function picture(): Uint8Array {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      const inA = x > 40 && x < 160 && y > 60 && y < 250;
      const inB = (x - 290) ** 2 + (y - 120) ** 2 < 60 ** 2;
      data[o] = inA ? 220 : inB ? 30 : (x * 255) / W;
      data[o + 1] = inA ? 40 : inB ? 200 : (y * 255) / H;
      data[o + 2] = inA ? 40 : inB ? 60 : 128;
    }
  }
  return encodePng({ width: W, height: H, data, channels: 3, depth: 8 });
}

const image = picture();

/** onnxruntime-node (native CPU build, graph optimizations off) on the tensor our preprocessing makes. */
async function ortNodeDetections(model: ResNetModel, modelPath: string, threshold: number): Promise<{ dets: Detection[]; raw: Record<string, ortNode.Tensor> }> {
  const { tensor, transform } = await preprocessEncoded({ bytes: image, input: model.manifest.input });
  const session = await ortNode.InferenceSession.create(modelPath, { graphOptimizationLevel: 'disabled' });
  const rank3 = model.manifest.detection!.head.format === 'torchvision';
  const dims = rank3 ? tensor.dims.slice(1) : tensor.dims;
  const raw = await session.run({ [model.manifest.input.name]: new ortNode.Tensor('float32', tensor.data as Float32Array, [...dims]) });
  await session.release();
  const outputs = Object.fromEntries(
    Object.entries(raw).map(([k, t]) => [k, { data: Float32Array.from(t.data as ArrayLike<number | bigint>, Number), dims: [...t.dims] }]),
  );
  const spec = model.manifest.detection!;
  const dets = toDetections({
    outputs,
    head: spec.head,
    labels: model.manifest.labels,
    inputWidth: SIZE,
    inputHeight: SIZE,
    transform,
    scoreThreshold: threshold,
    iouThreshold: spec.iouThreshold,
    maxDetections: spec.maxDetections,
    nms: spec.nms ?? 'per-class',
  });
  return { dets, raw };
}

/** Every detection of `a` has one in `b` with the same label, score within 1e-4 and corners within 0.05 px, and back. */
function expectSameDetections(a: Detection[], b: Detection[]): void {
  expect(a.length).toBe(b.length);
  const used = new Set<number>();
  for (const d of a) {
    const j = b.findIndex(
      (e, k) =>
        !used.has(k) &&
        e.label === d.label &&
        Math.abs(e.score - d.score) < 1e-4 &&
        (['xmin', 'ymin', 'xmax', 'ymax'] as const).every((c) => Math.abs(e.box[c] - d.box[c]) < 0.05),
    );
    expect(j, `no match for ${JSON.stringify(d)}`).toBeGreaterThanOrEqual(0);
    used.add(j);
  }
}

/** Boxes lie on the 400x300 source image, not on the 256x256 letterboxed input. */
function expectOnSource(dets: Detection[]): void {
  for (const d of dets) {
    expect(d.box.xmin).toBeGreaterThanOrEqual(0);
    expect(d.box.ymin).toBeGreaterThanOrEqual(0);
    expect(d.box.xmax).toBeLessThanOrEqual(W);
    expect(d.box.ymax).toBeLessThanOrEqual(H);
    expect(COCO_CATEGORIES).toContain(d.label);
  }
}

/** Letterbox of 400x300 into 256x256: scale 0.64, 32 px bars above and below. */
const toSource = (x: number, y: number) => [Math.min(W, Math.max(0, x / 0.64)), Math.min(H, Math.max(0, (y - 32) / 0.64))];

describe.each([
  { arch: 'fasterrcnn_resnet50_fpn', threshold: 0.05 },
  { arch: 'retinanet_resnet50_fpn', threshold: 0.01 },
])('torchvision $arch', ({ arch, threshold }) => {
  it('loads in one line (head and input from the graph), detect() on onnxruntime-web equals onnxruntime-node', async () => {
    const dir = cachedBuild({ python: DEBIAN_PY, script: 'make_torchvision_detector.py', name: arch, args: ['--arch', arch, '--size', String(SIZE)] });
    expect(JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8'))).toEqual(COCO_CATEGORIES);
    const fallbacks: string[] = [];
    const model = await load({ model: join(dir, 'model.onnx'), labels: COCO_CATEGORIES, onFallback: (e) => fallbacks.push(`${e.backend}: ${e.code}`) });
    expect(model.manifest.task).toBe('detection');
    expect(model.manifest.detection!.head).toEqual({ format: 'torchvision', boxes: 'boxes', labels: 'labels', scores: 'scores' });
    expect(model.manifest.input).toMatchObject({ name: 'image', shape: [1, 3, SIZE, SIZE], resize: { mode: 'letterbox' }, scale: 255, mean: [0, 0, 0] });
    expect(model.backend).toBe('ort-wasm');
    expect(fallbacks[0]).toMatch(/^wasm: /);

    const dets = await model.detect(image, { scoreThreshold: threshold });
    expect(dets.length).toBeGreaterThan(0);
    expectOnSource(dets);
    const oracle = await ortNodeDetections(model, join(dir, 'model.onnx'), threshold);
    expectSameDetections(dets, oracle.dets);
    // The mapping back, computed by hand from onnxruntime-node's first raw box.
    const raw = Array.from(oracle.raw.boxes.data as Float32Array).slice(0, 4);
    const best = oracle.dets.find((d) => Math.abs(d.score - Number((oracle.raw.scores.data as Float32Array)[0])) < 1e-6)!;
    const [x0, y0] = toSource(raw[0], raw[1]);
    const [x1, y1] = toSource(raw[2], raw[3]);
    expect(best.box.xmin).toBeCloseTo(x0, 3);
    expect(best.box.ymin).toBeCloseTo(y0, 3);
    expect(best.box.xmax).toBeCloseTo(x1, 3);
    expect(best.box.ymax).toBeCloseTo(y1, 3);
    await model.dispose();
  }, SLOW);
});

describe('DETR-ResNet-50 (transformers, Hugging Face folder over HTTP)', () => {
  let server: FileServer;
  let dir: string;
  beforeAll(async () => {
    // The labels go in as JSON text, so the cache key follows them.
    dir = cachedBuild({ python: HF_PY, script: 'make_detr.py', name: 'detr-resnet50', args: ['--labels', JSON.stringify(COCO_CATEGORIES), '--size', String(SIZE)] });
    server = await serveFiles({ root: dir });
  }, SLOW);
  afterAll(() => server?.close());

  it('loads in one line (id2label, detr head from logits + pred_boxes), detect() equals onnxruntime-node', async () => {
    const model = await load({ model: server.url });
    expect(model.manifest.labels).toEqual(COCO_CATEGORIES);
    expect(model.manifest.detection).toMatchObject({ head: { format: 'detr', logits: 'logits', boxes: 'pred_boxes' }, iouThreshold: 1 });
    // DetrImageProcessor's ImageNet mean/std; the fixed-size export is letterboxed with the mean colour (0 after normalizing).
    expect(model.manifest.input).toMatchObject({ shape: [1, 3, SIZE, SIZE], resize: { mode: 'letterbox' }, mean: [0.485, 0.456, 0.406] });
    expect(model.origin).toMatchObject({ kind: 'hf', file: 'onnx/model.onnx', dtype: 'fp32' });
    expect(model.backend).toBe('ort-wasm');
    const threshold = 0.012; // random weights: the best of 91 real classes scores a little over 1/92
    const dets = await model.detect(image, { scoreThreshold: threshold });
    expect(dets.length).toBeGreaterThan(0);
    expectOnSource(dets);
    const oracle = await ortNodeDetections(model, join(dir, 'onnx/model.onnx'), threshold);
    expectSameDetections(dets, oracle.dets);
    await model.dispose();
  }, SLOW);
});
