import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataType, decodeModel } from '../onnx/index.js';
import { TINY_OP13_URL } from '../testing/test-manifest.js';
import { inferHead, inferManifest, quantizationFormat, type GraphValue } from './infer-manifest.js';

const bytes = new Uint8Array(readFileSync(TINY_OP13_URL));
const model = decodeModel(bytes);
const file = { path: 'model.onnx', bytes: bytes.byteLength, sha256: 'a'.repeat(64) };
const labels = Array.from({ length: 10 }, (_, i) => `c${i}`);

describe('inferManifest (tiny-op13: input [N,3,32,32] -> 10 logits)', () => {
  it('input name, size and batch from the graph; preprocessing from the preset, its crop ratio kept at the graph size', () => {
    const m = inferManifest({ model, file, id: 'tiny', labels, preset: 'imagenet' });
    expect(m.task).toBe('classification');
    expect(m.input).toMatchObject({ shape: [-1, 3, 32, 32], channels: 'rgb', resize: { mode: 'shorter-side-crop', shorterSide: 37 }, mean: [0.485, 0.456, 0.406] });
    expect(m.output).toEqual({ name: m.output!.name, kind: 'logits' });
    expect(m.quantization.format).toBe('none');
    expect(m.files).toEqual([{ ...file, role: 'model' }]);
  });

  it('caller input fields apply over the preset; a shape that contradicts the graph is INVALID_ARGUMENT', () => {
    const m = inferManifest({ model, file, id: 'tiny', labels, preset: 'imagenet', input: { mean: [0.5, 0.5, 0.5], resize: { mode: 'stretch', filter: 'bicubic' } } });
    expect(m.input.mean).toEqual([0.5, 0.5, 0.5]);
    expect(m.input.resize).toEqual({ mode: 'stretch', filter: 'bicubic' });
    expect(() => inferManifest({ model, file, id: 'tiny', labels, preset: 'imagenet', input: { shape: [1, 3, 64, 64] } })).toThrow(/64x64 but the graph input is 32x32/);
  });

  it('no preprocessing, no labels, or the wrong number of labels is INVALID_ARGUMENT', () => {
    expect(() => inferManifest({ model, file, id: 'tiny', labels })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/preprocess/) }));
    expect(() => inferManifest({ model, file, id: 'tiny', preset: 'imagenet' })).toThrow(/Pass labels/);
    expect(() => inferManifest({ model, file, id: 'tiny', preset: 'imagenet', labels: ['a', 'b'] })).toThrow(/2 labels but the graph output .* has 10 classes/);
    expect(() => inferManifest({ model, file, id: 'tiny', preset: 'fmnist', labels })).toThrow(/3 channels; the preprocessing gives 1/);
  });

  it('a graph with a second input (DETR pixel_mask) is INVALID_MODEL: it would never be fed', () => {
    const two = { ...model, graph: { ...model.graph!, input: [...model.graph!.input, { ...model.graph!.input[0], name: 'pixel_mask' }] } } as typeof model;
    expect(() => inferManifest({ model: two, file, id: 'tiny', labels, preset: 'imagenet' })).toThrow(expect.objectContaining({ code: 'INVALID_MODEL', message: expect.stringContaining('pixel_mask') }));
  });

  it('quantization format from the operators', () => {
    const withOps = (ops: string[]) => ({ ...model, graph: { ...model.graph!, node: ops.map((opType) => ({ opType, input: [], output: [], attribute: [] })) } }) as typeof model;
    expect(quantizationFormat(withOps(['QuantizeLinear', 'DequantizeLinear', 'Conv']))).toBe('qdq');
    expect(quantizationFormat(withOps(['QLinearConv']))).toBe('qoperator');
    expect(quantizationFormat(withOps(['DynamicQuantizeLinear', 'ConvInteger', 'Cast', 'Mul']))).toBe('dynamic');
    expect(quantizationFormat(withOps(['Conv', 'Relu']))).toBe('none');
  });
});

describe('inferHead', () => {
  const v = (name: string, dims: Array<number | undefined>, elemType: number = DataType.FLOAT): GraphValue => ({ name, dims, elemType });
  it('torchvision: float [K,4] + int [K] + float [K], whatever their names or order', () => {
    expect(inferHead([v('boxes', [undefined, 4]), v('scores', [undefined]), v('labels', [undefined], DataType.INT64)])).toEqual({
      format: 'torchvision',
      boxes: 'boxes',
      labels: 'labels',
      scores: 'scores',
    });
    expect(inferHead([v('3', [undefined], DataType.INT64), v('1', [undefined, 4]), v('2', [undefined])])).toMatchObject({ boxes: '1', labels: '3', scores: '2' });
  });
  it('detr: logits + pred_boxes of rank 3; a classifier has no head', () => {
    expect(inferHead([v('logits', [1, 100, 92]), v('pred_boxes', [1, 100, 4])])).toEqual({ format: 'detr', logits: 'logits', boxes: 'pred_boxes' });
    expect(inferHead([v('logits', [1, 1000])])).toBeUndefined();
  });
});
