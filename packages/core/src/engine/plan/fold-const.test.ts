// Plan-time folding of shape subgraphs: a dynamic-shape option-A shortcut (Shape -> Gather -> arithmetic ->
// ConstantOfShape/Concat/Reshape/Slice/Transpose/Cast -> Pad) leaves only the data ops, in float and in int8,
// and the results equal onnxruntime-web's.
import { describe, expect, it } from 'vitest';
import { DataType, encodeModel, makeAttr, makeTensor, type OnnxNode, type OnnxTensor } from '../../onnx/index.js';
import { ortRun } from '../../testing/ort-oracle.js';
import { createWasmSession } from '../session/wasm-session.js';
import { compilePlan } from './compile-plan.js';
import { makeConst } from './fold-const.js';

function node(opType: string, input: string[], output: string[], attrs: ReturnType<typeof makeAttr>[] = []): OnnxNode {
  return { opType, input, output, name: output[0], attribute: attrs };
}

const i64 = (name: string, v: number[], dims = [v.length]) => makeTensor(name, DataType.INT64, dims, v);

/**
 * y = Pad(x[:, :, ::2, ::2], channels + C/2 on both sides), with the pads computed from Shape(x) the way torch
 * exports F.pad with a traced channel count, plus a Range/Where/Expand/ReduceProd side computation folded into the
 * Slice step. `quantized` wraps the data path in QDQ (uint8).
 */
function shortcutModel(quantized: boolean): Uint8Array {
  const inits: OnnxTensor[] = [
    i64('one', [1]), i64('zero', [0]), i64('two', [2]), i64('negbig', [-(2 ** 62)]), i64('big2', [2 ** 62, 2 ** 62]), i64('axes23', [2, 3]),
    i64('rng_lo', [0], []), i64('rng_hi', [4], []), i64('rng_d', [1], []), i64('neg1', [-1]),
    makeTensor('xs', DataType.FLOAT, [], [0.02]), makeTensor('xz', DataType.UINT8, [], [128]),
  ];
  const nodes: OnnxNode[] = [
    node('Shape', ['x'], ['shape']),
    node('Gather', ['shape', 'one'], ['c1']),
    node('Div', ['c1', 'two'], ['half']),
    // pads as torch builds them: [W, W, H, H, C, C, N, N] pairs reversed -> Concat/Reshape/Slice/Transpose/Cast.
    node('ConstantOfShape', ['two'], ['zeros2'], [makeAttr('value', makeTensor('v', DataType.INT64, [1], [0]))]),
    node('Concat', ['zeros2', 'zeros2', 'half', 'half', 'zeros2'], ['p8'], [makeAttr('axis', 0)]),
    node('Constant', [], ['rs'], [makeAttr('value', i64('rsv', [-1, 2]))]),
    node('Reshape', ['p8', 'rs'], ['p42']),
    node('Slice', ['p42', 'neg1', 'negbig', 'zero', 'neg1'], ['prev']),
    node('Transpose', ['prev'], ['pt'], [makeAttr('perm', [1, 0])]),
    node('Reshape', ['pt', 'neg1'], ['pflat']),
    node('Cast', ['pflat'], ['pads'], [makeAttr('to', DataType.INT64)]),
    // step = 2 computed as ReduceProd(Where(Range(0, 4) == 1, 2, 1)) so Range/Equal/Where/Expand/ReduceProd fold too.
    node('Range', ['rng_lo', 'rng_hi', 'rng_d'], ['r']),
    node('Equal', ['r', 'one'], ['is1']),
    node('Where', ['is1', 'two', 'one'], ['w']),
    node('ReduceProd', ['w'], ['step1'], [makeAttr('keepdims', 1)]),
    node('Expand', ['step1', 'two'], ['steps']),
    node('Slice', [quantized ? 'xdq' : 'x', 'zeros2', 'big2', 'axes23', 'steps'], ['sub']),
    node('Pad', ['sub', 'pads'], ['padded'], [makeAttr('mode', 'constant')]),
  ];
  if (quantized) {
    nodes.unshift(node('QuantizeLinear', ['x', 'xs', 'xz'], ['xq']), node('DequantizeLinear', ['xq', 'xs', 'xz'], ['xdq']));
    nodes.push(node('QuantizeLinear', ['padded', 'xs', 'xz'], ['yq']), node('DequantizeLinear', ['yq', 'xs', 'xz'], ['y']));
  } else nodes.push(node('Identity', ['padded'], ['y']));
  const vi = (name: string, dims: (number | string)[]) => ({
    name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  return encodeModel({
    irVersion: 8, opsetImport: [{ domain: '', version: 13 }], metadataProps: [],
    graph: { name: 'shortcut', node: nodes, initializer: inits, input: [vi('x', ['batch', 8, 6, 7])], output: [vi('y', ['batch', 16, 3, 4])], valueInfo: [] },
  });
}

describe('shape subgraph folding', () => {
  const dims = [2, 8, 6, 7];
  let s = 3;
  const x = Float32Array.from({ length: 2 * 8 * 42 }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2);

  for (const quantized of [false, true]) {
    it(`${quantized ? 'QDQ uint8' : 'fp32'}: only the data ops are left and the output equals onnxruntime's`, async () => {
      const model = shortcutModel(quantized);
      const plan = compilePlan({ model, inputShapes: { x: dims } });
      const kinds = plan.ops.map((o) => (o.op === 'float' ? o.opType : o.op));
      expect(kinds).toEqual(quantized ? ['quantize', 'slice', 'pad', 'dequantize'] : ['Slice', 'Pad']);
      const session = await createWasmSession({ model, inputShapes: { x: dims } });
      const got = (await session.run({ x: { data: x, dims } })).y;
      const want = (await ortRun(model, { x: { data: x, dims } })).y;
      expect(got.dims).toEqual([2, 16, 3, 4]);
      expect(Array.from(got.data)).toEqual(Array.from(want.data as Float32Array));
    });
  }

  it('recompiles the folded shapes for another batch size', async () => {
    const model = shortcutModel(true);
    const session = await createWasmSession({ model, inputShapes: { x: dims } });
    const one = await session.run({ x: { data: x.subarray(0, 8 * 42), dims: [1, 8, 6, 7] } });
    expect(one.y.dims).toEqual([1, 16, 3, 4]);
  });

  it('int64 constants keep INT64_MAX and truncate integer division toward zero', () => {
    const big = makeConst([2], DataType.INT64, [2 ** 63, -(2 ** 64)]);
    expect(Array.from(big.i64!)).toEqual([2n ** 63n - 1n, -(2n ** 63n)]);
    const m = encodeModel({
      irVersion: 8, opsetImport: [{ domain: '', version: 13 }], metadataProps: [],
      graph: {
        name: 'div', initializer: [i64('a', [-7, 7]), i64('b', [2, -2])], valueInfo: [],
        node: [node('Div', ['a', 'b'], ['q']), node('Cast', ['q'], ['qf'], [makeAttr('to', DataType.FLOAT)]), node('Add', ['x', 'qf'], ['y'])],
        input: [{ name: 'x', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimValue: 2 }] } } } }],
        output: [{ name: 'y', type: { tensorType: { elemType: DataType.FLOAT } } }],
      },
    });
    const plan = compilePlan({ model: m });
    const add = plan.ops[0];
    expect(add.op === 'float' && Array.from(add.consts[1].data as Float32Array)).toEqual([-3, -3]);
  });
});
