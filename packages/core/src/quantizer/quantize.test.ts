import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataType, decodeModel, encodeModel, makeTensor, tensorToFloat32, type OnnxModel } from '../onnx/index.js';
import { quantize } from './quantize.js';
import { formatSummary } from './summary.js';
import { compareModels, opCounts, optimizedOpCounts, qdqProblemsAroundConvs, randomInputs } from '../testing/quantizer-helpers.js';
import { errorCode } from '../testing/error-code.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../test-fixtures/quantize');
const tiny = new Uint8Array(readFileSync(join(fixtures, 'tiny-op13.onnx')));
const tinyBn = new Uint8Array(readFileSync(join(fixtures, 'tiny-op17-bn.onnx')));

describe('quantize (tiny residual net fixtures)', () => {
  it('produces a QDQ model onnxruntime fuses completely, close to fp32', async () => {
    const progress: [number, number][] = [];
    const calibration = randomInputs(16, [1, 3, 32, 32], 1);
    const r = await quantize({ model: tiny, calibration, method: 'percentile', onProgress: (d, t) => progress.push([d, t]) });
    expect(progress.at(-1)).toEqual([16, 16]);
    const m = decodeModel(r.model);
    expect(m.opsetImport.find((o) => !o.domain)?.version).toBe(13);
    expect(qdqProblemsAroundConvs(m)).toEqual([]);
    expect(opCounts(m).Conv).toBe(3);
    expect(opCounts(m).Relu).toBeUndefined(); // fused into the uint8 clamp
    // Graph input and output stay float32 with their names.
    expect(m.graph!.input.map((v) => [v.name, v.type?.tensorType?.elemType])).toEqual([['input', DataType.FLOAT]]);
    expect(m.graph!.output.map((v) => [v.name, v.type?.tensorType?.elemType])).toEqual([['logits', DataType.FLOAT]]);
    // Weights are stored as int8: no fp32 Conv weight is left.
    for (const t of m.graph!.initializer) if (t.dims.length === 4) expect(t.dataType).toBe(DataType.INT8);
    // What onnxruntime really executes: int8 kernels only, float only at the edges.
    const ops = await optimizedOpCounts(r.model);
    expect(ops.QLinearConv).toBe(3);
    expect(ops.QLinearAdd).toBe(1);
    expect(ops.QGemm).toBe(1);
    expect(ops.QLinearGlobalAveragePool).toBe(1);
    for (const floatOp of ['Conv', 'Add', 'Gemm', 'Relu', 'GlobalAveragePool', 'FusedConv']) expect(ops[floatOp]).toBeUndefined();
    expect(ops.QuantizeLinear).toBe(1);
    const cmp = await compareModels(tiny, r.model, randomInputs(16, [1, 3, 32, 32], 99));
    expect(cmp.minCosine).toBeGreaterThan(0.999);
    expect(cmp.top1Agreement).toBeGreaterThanOrEqual(15 / 16);
    expect(r.summary.map((s) => s.tensor)[0]).toBe('input');
    expect(formatSummary(r.summary)).toMatch(/MaxPool .* shared/);
  });

  it('folds unfused BatchNorm (opset 17 export) and matches the folded export', async () => {
    const calibration = randomInputs(8, [1, 3, 32, 32], 1);
    const a = await quantize({ model: tiny, calibration, method: 'minmax' });
    const b = await quantize({ model: tinyBn, calibration, method: 'minmax' });
    expect(b.info.foldedBatchNorms).toBe(3);
    expect(opCounts(decodeModel(b.model)).BatchNormalization).toBeUndefined();
    expect(qdqProblemsAroundConvs(decodeModel(b.model))).toEqual([]);
    // Same weights, so the two int8 models agree closely (fold order of float ops differs slightly).
    const cmp = await compareModels(a.model, b.model, randomInputs(8, [1, 3, 32, 32], 5));
    expect(cmp.minCosine).toBeGreaterThan(0.999);
    expect(a.summary.length).toBe(b.summary.length);
  });

  it('methods give different ranges; mse and percentile clip, minmax does not', async () => {
    const calibration = randomInputs(8, [1, 3, 32, 32], 2);
    const results = await Promise.all((['minmax', 'percentile', 'mse', 'entropy'] as const).map((method) => quantize({ model: tiny, calibration, method, percentile: 99 })));
    const [mm, pc, mse, ent] = results.map((r) => r.summary.find((s) => s.tensor === 'input')!);
    expect(ent.range.max - ent.range.min).toBeLessThan(mm.range.max - mm.range.min);
    const cmp = await compareModels(tiny, results[3].model, randomInputs(8, [1, 3, 32, 32], 8));
    expect(cmp.minCosine).toBeGreaterThan(0.99);
    expect(mm.range).toEqual(mm.observed);
    expect(pc.range.max).toBeLessThan(mm.range.max);
    expect(mse.range.max).toBeLessThanOrEqual(mm.range.max);
    expect(pc.scale).toBeLessThan(mm.scale);
  });

  it('bias becomes int32 with scale = input scale x weight scale', async () => {
    const r = await quantize({ model: tiny, calibration: randomInputs(4, [1, 3, 32, 32], 3) });
    const g = decodeModel(r.model).graph!;
    const gemm = g.node.find((n) => n.opType === 'Gemm')!;
    const find = (name: string) => g.initializer.find((t) => t.name === name)!;
    const dqB = g.node.find((n) => n.output[0] === gemm.input[2])!;
    const dqX = g.node.find((n) => n.output[0] === gemm.input[0])!;
    const dqW = g.node.find((n) => n.output[0] === gemm.input[1])!;
    expect(find(dqB.input[0]).dataType).toBe(DataType.INT32);
    const xs = tensorToFloat32(find(dqX.input[1]))[0];
    const ws = tensorToFloat32(find(dqW.input[1]));
    const bs = tensorToFloat32(find(dqB.input[1]));
    expect(ws.length).toBe(10); // per output channel
    for (let c = 0; c < 10; c++) expect(bs[c]).toBeCloseTo(Math.fround(xs * ws[c]), 12);
  });

  it('handles a CenterNet-style FPN (Resize + Add, Sigmoid and Conv graph outputs) and excludeNodes', async () => {
    const det = new Uint8Array(readFileSync(join(fixtures, 'tiny-det-op13.onnx')));
    const calibration = randomInputs(12, [1, 1, 48, 48], 6).map((t) => ({ ...t, data: t.data.map(Math.abs) }));
    const full = await quantize({ model: det, calibration });
    expect(full.info.quantizedNodes).toEqual({ Conv: 9, Resize: 1, Add: 1 });
    expect(full.info.floatNodes).toEqual({ Sigmoid: 1 });
    const ops = await optimizedOpCounts(full.model);
    expect(ops.QLinearConv).toBe(9);
    expect(ops.QLinearAdd).toBe(1);
    expect(ops.Conv).toBeUndefined();
    const m = decodeModel(full.model);
    expect(m.graph!.output.map((o) => o.name)).toEqual(['heatmap', 'size', 'offset']);
    const kept = await quantize({ model: det, calibration, excludeNodes: ['size', 'offset'] });
    expect(kept.info.floatNodes).toEqual({ Sigmoid: 1, Conv: 2 });
    expect((await optimizedOpCounts(kept.model)).QLinearConv).toBe(7);
    const eval8 = randomInputs(4, [1, 1, 48, 48], 7).map((t) => ({ ...t, data: t.data.map(Math.abs) }));
    for (const r of [full, kept]) expect((await compareModels(det, r.model, eval8)).minCosine).toBeGreaterThan(0.999);
  });

  it('bumps opset 11 to 13 for per-channel Q/DQ, refusing ops whose meaning changed', async () => {
    const op11 = new Uint8Array(readFileSync(join(fixtures, 'tiny-op11.onnx')));
    const calibration = randomInputs(4, [1, 3, 32, 32], 4);
    const r = await quantize({ model: op11, calibration });
    const m = decodeModel(r.model);
    expect(m.opsetImport.find((o) => !o.domain)?.version).toBe(13);
    expect(m.irVersion).toBeGreaterThanOrEqual(7);
    expect((await compareModels(op11, r.model, calibration)).minCosine).toBeGreaterThan(0.999);
    const withSqueeze = decodeModel(op11);
    withSqueeze.graph!.node.push({ input: ['logits'], output: ['sq'], opType: 'Squeeze', attribute: [] });
    await expect(quantize({ model: encodeModel(withSqueeze), calibration })).rejects.toThrow(/Squeeze/);
  });

  it('rejects bad input with stable codes', async () => {
    const calibration = randomInputs(1, [1, 3, 32, 32], 1);
    expect(await errorCode(quantize({ model: new Uint8Array([1, 2, 3]), calibration }))).toBe('INVALID_MODEL');
    expect(await errorCode(quantize({ model: tiny, calibration: [] }))).toBe('QUANTIZATION_FAILED');
    expect(await errorCode(quantize({ model: tiny, calibration, method: 'kl' as 'mse' }))).toBe('INVALID_ARGUMENT');
    expect(await errorCode(quantize({ model: tiny, calibration, percentile: 20 }))).toBe('INVALID_ARGUMENT');
    // A sample the model cannot take is refused before onnxruntime runs it.
    expect(await errorCode(quantize({ model: tiny, calibration: [{ data: new Float32Array(5), dims: [1, 5] }] }))).toBe('INVALID_TENSOR');
    const q = await quantize({ model: tiny, calibration });
    expect(await errorCode(quantize({ model: q.model, calibration }))).toBe('QUANTIZATION_FAILED');
  });

  it('a tensor the fp32 model computes as NaN everywhere is QUANTIZATION_FAILED, not scale 1', async () => {
    // x -> Sqrt -> Conv: finite negative samples pass the sample checks, but the Conv's input is all NaN.
    const vi = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
    const m: OnnxModel = {
      irVersion: 8,
      opsetImport: [{ version: 13 }],
      metadataProps: [],
      graph: {
        name: 'sqrt-conv',
        node: [
          { name: 'sqrt', input: ['x'], output: ['s'], opType: 'Sqrt', attribute: [] },
          { name: 'conv', input: ['s', 'w', 'b'], output: ['y'], opType: 'Conv', attribute: [] },
        ],
        initializer: [makeTensor('w', DataType.FLOAT, [2, 1, 1, 1], [1, -1]), makeTensor('b', DataType.FLOAT, [2], [0, 0])],
        input: [vi('x', [1, 1, 4, 4])],
        output: [vi('y', [1, 2, 4, 4])],
        valueInfo: [],
      },
    };
    const model = encodeModel(m);
    const positive = [{ data: new Float32Array(16).fill(4), dims: [1, 1, 4, 4] }];
    expect((await quantize({ model, calibration: positive, method: 'minmax' })).summary.find((s) => s.tensor === 's')?.observed).toEqual({ min: 2, max: 2 });
    const negative = [{ data: new Float32Array(16).fill(-1), dims: [1, 1, 4, 4] }];
    for (const method of ['minmax', 'percentile', 'mse', 'entropy'] as const) {
      await expect(quantize({ model, calibration: negative, method })).rejects.toMatchObject({ code: 'QUANTIZATION_FAILED', message: expect.stringMatching(/no finite value of tensor "s"/) });
    }
  });
});
