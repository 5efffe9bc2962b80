// ONNX backend node tests (Debian libonnx-testdata) through the own wasm engine: every test of every op the engine
// implements runs here; the ones that cannot are listed in EXCLUDED with the reason. Quantized ops (QLinearConv,
// QLinearMatMul, QuantizeLinear, DequantizeLinear, ConvInteger, MatMulInteger, DynamicQuantizeLinear...) run the int8
// kernels; float ops run the float reference kernels; shape ops on constants are folded at plan time.
// The engine needs constant weights and quantization parameters, so for ops other than elementwise/Concat every
// input after the first is bound as a constant (the node tests feed weights as graph inputs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWasmSession } from '../../packages/core/src/engine/session/wasm-session.js';
import { DataType, decodeModel, decodeTensor, tensorToFloat32, type OnnxTensor } from '../../packages/core/src/onnx/index.js';
import { constFromTensor, type Const } from '../../packages/core/src/engine/plan/consts.js';

const ROOT = '/usr/share/libonnx-testdata/data/node';
const PREFIXES = [
  'conv', 'basic_conv', 'convinteger', 'qlinearconv', 'qlinearmatmul', 'matmulinteger', 'quantizelinear', 'dequantizelinear',
  'maxpool', 'averagepool', 'globalaveragepool', 'gemm', 'matmul', 'relu', 'add', 'sub', 'mul', 'div', 'concat', 'resize',
  'sigmoid', 'softmax', 'batchnorm', 'flatten', 'reshape', 'clip', 'leakyrelu', 'tanh', 'identity',
  // Shape ops (folded at plan time when their inputs are constants), data movement, dynamic quantization.
  'slice', 'constant_pad', 'shape', 'size', 'gather', 'constantofshape', 'unsqueeze', 'squeeze', 'range', 'cast', 'expand',
  'transpose', 'tile', 'equal', 'where', 'reduce_prod', 'constant', 'dynamicquantizelinear',
];
const ALL_DATA_INPUTS = new Set(['Add', 'Sub', 'Mul', 'Div', 'Concat']);

/** Tests the engine does not run, and why. */
const EXCLUDED: Record<string, string> = {
  ...Object.fromEntries(['add', 'sub', 'mul', 'div'].map((o) => [`test_${o}_uint8`,
    'raw uint8 arithmetic with wrap-around; quantized graphs use QLinearAdd / QDQ Add, which the engine runs'])),
  test_averagepool_1d_default: '1-D pooling (the engine pools 2-D NCHW only)',
  test_averagepool_3d_default: '3-D pooling (the engine pools 2-D NCHW only)',
  test_maxpool_1d_default: '1-D pooling (the engine pools 2-D NCHW only)',
  test_maxpool_3d_default: '3-D pooling (the engine pools 2-D NCHW only)',
  test_maxpool_with_argmax_2d_precomputed_pads: 'MaxPool Indices output is not supported',
  test_maxpool_with_argmax_2d_precomputed_strides: 'MaxPool Indices output is not supported',
  test_batchnorm_epsilon_training_mode: 'training-mode BatchNormalization (running statistics outputs)',
  test_batchnorm_example_training_mode: 'training-mode BatchNormalization (running statistics outputs)',
  test_clip_default_int8_inbounds: 'Clip on raw int8 tensors (not a quantized op; plan int8 tensors carry quantization)',
  test_clip_default_int8_max: 'Clip on raw int8 tensors (not a quantized op; plan int8 tensors carry quantization)',
  test_clip_default_int8_min: 'Clip on raw int8 tensors (not a quantized op; plan int8 tensors carry quantization)',
  test_dequantizelinear_axis: 'per-axis quantization of a runtime tensor (the engine supports per-axis weights only)',
  test_quantizelinear_axis: 'per-axis quantization of a runtime tensor (the engine supports per-axis weights only)',
  test_identity_opt: 'optional types',
  test_identity_sequence: 'sequence types',
  test_qlinearmatmul_3D: 'batched (3-D) weights; QLinearMatMul with 2-D weights runs, including 3-D activations',
  ...Object.fromEntries(['FLOAT_to_FLOAT16', 'DOUBLE_to_FLOAT16', 'FLOAT_to_BFLOAT16', 'BFLOAT16_to_FLOAT'].map((c) => [`test_cast_${c}`,
    'fp16/bfloat16 tensors run as fp32 (engine README: fp16 models are widened at load), so no rounding to 16 bits'])),
  test_cast_FLOAT_to_STRING: 'string tensors',
  test_cast_STRING_to_FLOAT: 'string tensors',
  ...Object.fromEntries(['', '_max_adjusted', '_min_adjusted'].map((v) => [`test_dynamicquantizelinear${v}_expanded`,
    'function-expanded form reduces run-time tensors with ReduceMin/ReduceMax, outside the op set (DynamicQuantizeLinear itself runs)'])),
  ...Object.fromEntries(['0', '1', 'negative_indices'].map((v) => [`test_gather_elements_${v}`, 'GatherElements is outside the op set'])),
  test_range_float_type_positive_delta: 'Range of run-time values (the engine folds Range when its inputs are constants)',
  test_range_float_type_positive_delta_expanded: 'Range of run-time values (the engine folds Range when its inputs are constants)',
  test_range_int32_type_negative_delta_expanded: 'function-expanded Range uses Loop',
  ...Object.fromEntries(['default_axes_keepdims', 'do_not_keepdims', 'keepdims', 'negative_axes_keepdims'].flatMap((v) => ['example', 'random'].map((r) => [
    `test_reduce_prod_${v}_${r}`, 'ReduceProd of run-time values (the engine folds reductions of constants, e.g. shape products)']))),
  ...Object.fromEntries(['axis_0', 'axis_1', 'axis_2', 'default_axis', 'example', 'large_number', 'negative_axis'].map((v) => [
    `test_softmax_${v}_expanded`, 'function-expanded form uses ReduceMax/Exp/ReduceSum, outside the engine op set (Softmax itself runs)'])),
};

function listTests(): string[] {
  if (!existsSync(ROOT)) return [];
  return readdirSync(ROOT).filter((d) => PREFIXES.some((p) => d === `test_${p}` || d.startsWith(`test_${p}_`))).sort();
}

function loadPb(path: string): OnnxTensor {
  return decodeTensor(new Uint8Array(readFileSync(path)));
}

function feedOf(t: OnnxTensor): { data: Float32Array | Uint8Array | Int8Array; dims: number[] } {
  const f = tensorToFloat32(t);
  const dt = t.dataType;
  const data = dt === DataType.UINT8 ? Uint8Array.from(f) : dt === DataType.INT8 ? Int8Array.from(f) : f;
  return { data, dims: [...t.dims] };
}

/** Runs one node test; throws on mismatch. */
export async function runNodeTest(dir: string): Promise<void> {
  const model = decodeModel(new Uint8Array(readFileSync(join(ROOT, dir, 'model.onnx'))));
  const g = model.graph!;
  const inits = new Set(g.initializer.map((t) => t.name));
  const inputs = g.input.filter((i) => !inits.has(i.name));
  const sets = readdirSync(join(ROOT, dir)).filter((d) => d.startsWith('test_data_set_'));
  const op = g.node.length === 1 ? g.node[0].opType! : '';
  for (const set of sets) {
    const constants: Record<string, Const> = {};
    const feeds: Record<string, { data: Float32Array | Uint8Array | Int8Array; dims: number[] }> = {};
    const shapes: Record<string, number[]> = {};
    inputs.forEach((vi, i) => {
      const path = join(ROOT, dir, set, `input_${i}.pb`);
      if (!existsSync(path)) return;
      const t = loadPb(path);
      const isData = i === 0 || ALL_DATA_INPUTS.has(op);
      if (isData && (t.dataType === DataType.FLOAT || t.dataType === DataType.UINT8 || t.dataType === DataType.INT8)) {
        feeds[vi.name!] = feedOf(t);
        shapes[vi.name!] = [...t.dims];
      } else constants[vi.name!] = constFromTensor(t);
    });
    const s = await createWasmSession({ model, inputShapes: shapes, constants });
    const out = s.runRaw(feeds);
    g.output.forEach((o, i) => {
      const want = loadPb(join(ROOT, dir, set, `output_${i}.pb`));
      const got = out[o.name!];
      expect(got, `output ${o.name}`).toBeDefined();
      expect([...got.dims]).toEqual([...want.dims]);
      const w = tensorToFloat32(want);
      const exact = want.dataType !== DataType.FLOAT;
      for (let k = 0; k < w.length; k++) {
        const tol = exact ? 0 : 1e-5 + 1e-3 * Math.abs(w[k]);
        if (!(Math.abs(got.data[k] - w[k]) <= tol)) throw new Error(`${dir}/${set} output ${o.name}[${k}] = ${got.data[k]}, expected ${w[k]}`);
      }
    });
  }
}

const tests = listTests();

describe.skipIf(tests.length === 0)('ONNX node conformance (libonnx-testdata) on the wasm engine', () => {
  for (const dir of tests) {
    if (EXCLUDED[dir]) it.skip(`${dir}: excluded, ${EXCLUDED[dir]}`, () => {});
    else it(dir, () => runNodeTest(dir));
  }
  it('covers the ops the engine implements', () => {
    const run = tests.filter((t) => !EXCLUDED[t]);
    expect(run.length).toBe(204);
    for (const p of ['qlinearconv', 'qlinearmatmul_2D', 'quantizelinear', 'dequantizelinear', 'conv_with_strides_padding', 'resize_upsample_scales_linear',
      'convinteger_with_padding', 'matmulinteger', 'dynamicquantizelinear', 'slice_neg_steps', 'constant_pad', 'shape_start_1_end_negative_1', 'tile']) {
      expect(run).toContain(`test_${p}`);
    }
  });
});
