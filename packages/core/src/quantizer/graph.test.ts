import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { DataType, decodeModel, encodeModel, makeAttr, makeTensor, tensorToFloat32, type OnnxModel } from '../onnx/index.js';
import { dropUnusedInitializers, foldBatchNorms, inlineConstants, topoSort } from './graph.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../test-fixtures/quantize');

async function run(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<Float32Array> {
  ort.env.wasm.numThreads = 1;
  const s = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, dims) });
  await s.release();
  return out[s.outputNames[0]].data as Float32Array;
}

describe('graph preparation', () => {
  it('folds BatchNormalization into Conv: hand-computed 1x1 case', () => {
    const vi = (name: string) => ({ name, type: { tensorType: { elemType: DataType.FLOAT } } });
    const m: OnnxModel = {
      opsetImport: [{ version: 13 }],
      metadataProps: [],
      graph: {
        node: [
          { input: ['x', 'w', 'b'], output: ['c'], opType: 'Conv', attribute: [] },
          { input: ['c', 'g', 'beta', 'mu', 'var'], output: ['y'], opType: 'BatchNormalization', attribute: [makeAttr('epsilon', 0, 'float')] },
        ],
        initializer: [
          makeTensor('w', DataType.FLOAT, [2, 1, 1, 1], [2, -1]),
          makeTensor('b', DataType.FLOAT, [2], [1, 0]),
          makeTensor('g', DataType.FLOAT, [2], [3, 1]),
          makeTensor('beta', DataType.FLOAT, [2], [0.5, -1]),
          makeTensor('mu', DataType.FLOAT, [2], [1, 2]),
          makeTensor('var', DataType.FLOAT, [2], [4, 16]),
        ],
        input: [vi('x')],
        output: [vi('y')],
        valueInfo: [],
      },
    };
    expect(foldBatchNorms(m.graph!)).toBe(1);
    dropUnusedInitializers(m.graph!);
    const g = m.graph!;
    expect(g.node.map((n) => n.opType)).toEqual(['Conv']);
    expect(g.node[0].output).toEqual(['y']);
    const find = (name: string) => tensorToFloat32(g.initializer.find((t) => t.name === name)!);
    // k = gamma / sqrt(var): [1.5, 0.25]; W' = W k = [3, -0.25]; B' = (B - mu) k + beta = [0.5, -1.5].
    expect(Array.from(find(g.node[0].input[1]))).toEqual([3, -0.25]);
    expect(Array.from(find(g.node[0].input[2]))).toEqual([0.5, -1.5]);
    expect(g.initializer.map((t) => t.name).sort()).toEqual([g.node[0].input[1], g.node[0].input[2]].sort());
  });

  it('folding an unfused torch export (BN kept, Identity-routed params) gives the same outputs', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'tiny-op17-bn.onnx')));
    const m = decodeModel(bytes);
    const g = m.graph!;
    expect(g.node.filter((n) => n.opType === 'BatchNormalization')).toHaveLength(3);
    inlineConstants(g);
    expect(g.node.some((n) => n.opType === 'Identity')).toBe(false);
    expect(foldBatchNorms(g)).toBe(3);
    dropUnusedInitializers(g);
    topoSort(g);
    expect(g.node.some((n) => n.opType === 'BatchNormalization')).toBe(false);
    const x = Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.sin(i * 0.37) * 2);
    const before = await run(bytes, x, [2, 3, 32, 32]);
    const after = await run(encodeModel(m), x, [2, 3, 32, 32]);
    let maxDiff = 0;
    for (let i = 0; i < before.length; i++) maxDiff = Math.max(maxDiff, Math.abs(before[i] - after[i]));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('topoSort repairs node order and stops on cycles', () => {
    const m = decodeModel(new Uint8Array(readFileSync(join(fixtures, 'tiny-op13.onnx'))));
    const g = m.graph!;
    const order = g.node.map((n) => n.name);
    g.node.reverse();
    topoSort(g);
    expect(g.node.map((n) => n.name)).toEqual(order);
    g.node[0].input[0] = g.node.at(-1)!.output[0]; // a cycle
    topoSort(g);
    expect(g.node).toHaveLength(order.length);
  });
});
