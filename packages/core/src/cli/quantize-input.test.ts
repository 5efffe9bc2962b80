import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ResNetEdgeError } from '../errors.js';
import { decodeModel } from '../onnx/index.js';
import { INPUT_PRESETS, graphIo, parseSize, resolveInputSpec, type GraphIo } from './quantize-input.js';

const here = dirname(fileURLToPath(import.meta.url));
const tiny = decodeModel(new Uint8Array(readFileSync(join(here, '../../test-fixtures/quantize/tiny-op13.onnx'))));
const imagenetGraph: GraphIo = { inputName: 'pixel_values', inputDims: [undefined, 3, 224, 224], outputs: [{ name: 'logits', dims: [undefined, 1000] }] };

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect((e as ResNetEdgeError).code).toBe('INVALID_ARGUMENT');
    return (e as Error).message;
  }
  return 'no error';
}

describe('graphIo', () => {
  it('reads the image input and the outputs of a model', () => {
    const g = graphIo(tiny);
    expect(g.inputDims).toEqual([undefined, 3, 32, 32]);
    expect(g.outputs).toHaveLength(1);
    expect(g.outputs[0].dims[g.outputs[0].dims.length - 1]).toBe(10);
  });
});

describe('resolveInputSpec', () => {
  it('uses a preset as is when it fits the graph, taking the graph input name and a dynamic batch', () => {
    expect(resolveInputSpec({ base: INPUT_PRESETS.imagenet, overrides: {}, graph: imagenetGraph })).toEqual({
      ...INPUT_PRESETS.imagenet,
      name: 'pixel_values',
      shape: [-1, 3, 224, 224],
    });
  });

  it('applies size, channels, mean/std (one value for all channels) and resize overrides', () => {
    const graph = graphIo(tiny);
    const spec = resolveInputSpec({ base: INPUT_PRESETS.imagenet, overrides: { size: [32, 32] }, graph });
    expect(spec.resize).toEqual({ mode: 'shorter-side-crop', shorterSide: 37, filter: 'bilinear' }); // 32 * 256/224
    const bgr = resolveInputSpec({ base: INPUT_PRESETS.imagenet, overrides: { size: [32, 32], channels: 'bgr', mean: [0.5], std: [0.25, 0.5, 1], resize: 'stretch' }, graph });
    expect(bgr).toMatchObject({ channels: 'bgr', mean: [0.5, 0.5, 0.5], std: [0.25, 0.5, 1], resize: { mode: 'stretch', filter: 'bilinear' } });
    expect(bgr.resize.shorterSide).toBeUndefined();
    const gray = resolveInputSpec({ base: INPUT_PRESETS.fmnist, overrides: { size: [64, 48], resize: 'shorter-side-crop' }, graph: { ...imagenetGraph, inputDims: [1, 1, 64, 48] } });
    expect(gray).toMatchObject({ shape: [1, 1, 64, 48], mean: [0.286], resize: { mode: 'shorter-side-crop', shorterSide: 55 } });
  });

  it('refuses specs that do not fit the graph or are incomplete', () => {
    const graph = graphIo(tiny);
    expect(messageOf(() => resolveInputSpec({ base: INPUT_PRESETS.imagenet, overrides: {}, graph }))).toBe("The model's input is 32x32, the spec 224x224; pass --size 32.");
    expect(messageOf(() => resolveInputSpec({ base: INPUT_PRESETS.imagenet, overrides: { size: [32, 32], channels: 'grayscale' }, graph }))).toBe(
      '--channels grayscale needs --mean with 1 value (the base spec has 3).',
    );
    expect(messageOf(() => resolveInputSpec({ base: INPUT_PRESETS.fmnist, overrides: { size: [32, 32] }, graph }))).toContain('has 3 channels, the spec 1 (grayscale)');
    expect(messageOf(() => resolveInputSpec({ base: INPUT_PRESETS.imagenet, overrides: { size: [32, 32], mean: [1, 2] }, graph }))).toBe('--mean needs 1 or 3 values for rgb input (got 2).');
    expect(messageOf(() => resolveInputSpec({ base: INPUT_PRESETS.imagenet, overrides: { size: [32, 32], std: [0] }, graph }))).toBe('--std values must be greater than 0.');
    expect(messageOf(() => resolveInputSpec({ base: INPUT_PRESETS.imagenet, overrides: {}, graph: { ...imagenetGraph, inputDims: [1, 768] } }))).toContain('has rank 2');
  });
});

describe('parseSize', () => {
  it('reads N and HxW, refusing anything else', () => {
    expect(parseSize('32')).toEqual([32, 32]);
    expect(parseSize('48x64')).toEqual([48, 64]);
    expect(parseSize('48X64')).toEqual([48, 64]);
    for (const bad of ['', '0', '32x', 'x32', '3.5', '-4', '10000', 'big']) expect(messageOf(() => parseSize(bad))).toContain('--size must be N or HxW');
  });
});
