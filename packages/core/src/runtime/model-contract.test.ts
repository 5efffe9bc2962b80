// load()'s label-count check for detectors: the class dimension the graph declares must match the manifest's labels.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel, type OnnxModel } from '../onnx/index.js';
import type { DetectionHead, ModelManifest } from '../package/manifest-types.js';
import { load } from './load.js';
import { checkModelContract } from './model-contract.js';

const dir = new URL('../../../../models/fmnist-scenes-centernet/', import.meta.url);
const bytes = new Uint8Array(readFileSync(new URL('model.int8.onnx', dir)));
const base = JSON.parse(readFileSync(new URL('model.json', dir), 'utf8')) as ModelManifest;
const labels = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

function manifest(n: number, head: DetectionHead = base.detection!.head): ModelManifest {
  return { ...base, labels: labels(n), detection: { ...base.detection!, head, refine: undefined } };
}

/** The detector's graph with the heatmap output declared as `dims` (0 = dynamic), standing in for other heads' outputs. */
function graph(dims?: number[]): OnnxModel {
  const m = decodeModel(bytes);
  const out = m.graph!.output.find((o) => o.name === 'heatmap')!;
  if (dims) out.type!.tensorType!.shape!.dim = dims.map((d) => (d > 0 ? { dimValue: d } : { dimParam: 'n' }));
  return m;
}

const mismatch = (classes: number, n: number) =>
  expect.objectContaining({ code: 'INVALID_MODEL', message: `The ONNX graph's output "heatmap" has ${classes} classes, the manifest lists ${n} labels.` });

describe('checkModelContract: detector labels', () => {
  it('centernet: heatmap [N, 10, 24, 24] needs 10 labels (12 loaded and detected silently, 2 or 9 failed only at inference)', () => {
    expect(() => checkModelContract(graph(), manifest(10))).not.toThrow();
    for (const n of [2, 9, 12]) expect(() => checkModelContract(graph(), manifest(n))).toThrow(mismatch(10, n));
  });

  it('load() refuses the package before choosing a backend', async () => {
    const files = base.files.filter((f) => f.role === 'model');
    await expect(load({ manifest: { ...manifest(12), files }, bytes, backend: 'wasm' })).rejects.toThrow(mismatch(10, 12));
  });

  it('is skipped when the graph leaves the class dimension open', () => {
    expect(() => checkModelContract(graph([1, 0, 24, 24]), manifest(12))).not.toThrow();
  });

  it('a head output the graph lacks is INVALID_MODEL at load', () => {
    const head = { ...base.detection!.head, heatmap: 'nope' } as DetectionHead;
    expect(() => checkModelContract(graph(), manifest(10, head))).toThrow(expect.objectContaining({ code: 'INVALID_MODEL', message: expect.stringContaining('no output "nope"') }));
  });

  it('boxes-scores: scores [N, K, C] give C; with a classes output they say nothing', () => {
    const head: DetectionHead = { format: 'boxes-scores', boxes: 'size', scores: 'heatmap', boxFormat: 'xyxy', normalized: false };
    expect(() => checkModelContract(graph([1, 576, 10]), manifest(10, head))).not.toThrow();
    expect(() => checkModelContract(graph([1, 576, 10]), manifest(9, head))).toThrow(mismatch(10, 9));
    expect(() => checkModelContract(graph([1, 576]), manifest(9, { ...head, classes: 'offset' }))).not.toThrow();
  });

  it('detr: logits [N, Q, C + 1] (the last is "no object") need C labels', () => {
    const head: DetectionHead = { format: 'detr', logits: 'heatmap', boxes: 'size' };
    expect(() => checkModelContract(graph([1, 100, 11]), manifest(10, head))).not.toThrow();
    expect(() => checkModelContract(graph([1, 100, 11]), manifest(11, head))).toThrow(mismatch(10, 11));
  });

  it('torchvision: labels are class ids, so any count is accepted here', () => {
    const head: DetectionHead = { format: 'torchvision', boxes: 'size', labels: 'offset', scores: 'heatmap' };
    expect(() => checkModelContract(graph(), manifest(91, head))).not.toThrow();
  });
});
