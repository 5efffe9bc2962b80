import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelLoadError } from '../errors.js';
import { DataType, makeAttr, makeTensor, type OnnxModel, type OnnxNode, type OnnxTensor } from './index.js';
import { decodeModel } from './decode.js';
import { hasNaN, MODEL_LIMITS, validateModel } from './validate-model.js';

const TESTDATA = '/usr/share/libonnx-testdata/data';

/** A one-node graph over a [1, 3, 8, 8] float input. */
function model(node: Partial<OnnxNode> & { opType: string }, extra: { initializer?: OnnxTensor[]; opset?: number; inputDims?: number[] } = {}): OnnxModel {
  const dims = extra.inputDims ?? [1, 3, 8, 8];
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: extra.opset ?? 13 }],
    metadataProps: [],
    graph: {
      node: [{ input: ['x'], output: ['y'], attribute: [], ...node }],
      initializer: extra.initializer ?? [],
      input: [{ name: 'x', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } }],
      output: [{ name: 'y' }],
      valueInfo: [],
    },
  };
}

/** The reason of the INVALID_MODEL a model is refused with ('valid' when it passes). */
function verdict(m: OnnxModel): string {
  try {
    validateModel(m);
    return 'valid';
  } catch (e) {
    expect(e).toBeInstanceOf(ModelLoadError);
    expect((e as ModelLoadError).code).toBe('INVALID_MODEL');
    return String((e as ModelLoadError).details?.reason);
  }
}

const f32 = (name: string, dims: number[], values: number[]) => makeTensor(name, DataType.FLOAT, dims, values);
const i64 = (name: string, values: number[]) => makeTensor(name, DataType.INT64, [values.length], values);

describe('validateModel', () => {
  it('passes every model of the ONNX test data (node, pytorch-converted, pytorch-operator, simple)', () => {
    let n = 0;
    for (const dir of ['node', 'pytorch-converted', 'pytorch-operator', 'simple'].map((d) => join(TESTDATA, d)).filter(existsSync)) {
      for (const t of readdirSync(dir)) {
        const f = join(dir, t, 'model.onnx');
        if (!existsSync(f)) continue;
        const m = decodeModel(new Uint8Array(readFileSync(f)));
        expect(verdict(m), t).toBe('valid');
        n++;
      }
    }
    expect(n).toBeGreaterThan(1000);
  });

  it('versions: opset and IR within what onnxruntime 1.30 loads', () => {
    expect(verdict(model({ opType: 'Relu' }, { opset: MODEL_LIMITS.maxOpset }))).toBe('valid');
    expect(verdict(model({ opType: 'Relu' }, { opset: MODEL_LIMITS.maxOpset + 1 }))).toBe('opset');
    expect(verdict(model({ opType: 'Relu' }, { opset: 1e9 }))).toBe('opset');
    expect(verdict({ ...model({ opType: 'Relu' }), irVersion: 100 })).toBe('ir_version');
    expect(verdict({ ...model({ opType: 'Relu' }), graph: undefined })).toBe('undefined');
  });

  it('declared shapes: at most maxElements, no negative dims', () => {
    expect(verdict(model({ opType: 'Relu' }, { inputDims: [1e9, 1, 28, 28] }))).toBe('declared-shape');
    expect(verdict(model({ opType: 'Relu' }, { inputDims: [1, -3, 8, 8] }))).toBe('declared-shape');
    expect(verdict(model({ opType: 'Relu' }, { inputDims: [8192, 3, 64, 64] }))).toBe('valid');
  });

  it('initializers: storage matching dims, no NaN (float32, float16, double), Constant tensors too', () => {
    const w = f32('w', [2], [1, 2]);
    expect(verdict(model({ opType: 'Add', input: ['x', 'w'] }, { initializer: [w] }))).toBe('valid');
    expect(verdict(model({ opType: 'Add', input: ['x', 'w'] }, { initializer: [{ ...w, rawData: w.rawData!.subarray(0, 5) }] }))).toBe('initializer');
    expect(verdict(model({ opType: 'Add', input: ['x', 'w'] }, { initializer: [f32('w', [3], [1, NaN, 2])] }))).toBe('nan-parameter');
    expect(hasNaN({ dims: [2], dataType: DataType.FLOAT16, rawData: Uint8Array.from([0x00, 0x7e, 0x00, 0x3c]) })).toBe(true);
    expect(hasNaN({ dims: [2], dataType: DataType.FLOAT16, rawData: Uint8Array.from([0x00, 0x7c, 0x00, 0x3c]) })).toBe(false); // +Inf, 1
    expect(hasNaN({ dims: [1], dataType: DataType.DOUBLE, rawData: new Uint8Array(new Float64Array([NaN]).buffer) })).toBe(true);
    expect(hasNaN({ dims: [2], dataType: DataType.FLOAT, floatData: Float32Array.from([1, NaN]) })).toBe(true);
    const nanConst: OnnxNode = { opType: 'Constant', input: [], output: ['c'], attribute: [makeAttr('value', f32('c', [1], [NaN]))] };
    const m = model({ opType: 'Add', input: ['x', 'c'] });
    m.graph!.node.unshift(nanConst);
    expect(verdict(m)).toBe('nan-parameter');
  });

  it('every node input is defined somewhere (onnxruntime sorts nodes: order does not matter)', () => {
    expect(verdict(model({ opType: 'Add', input: ['x', 'ghost'] }))).toBe('undefined-input');
    const m = model({ opType: 'Relu', input: ['z'] });
    m.graph!.node.push({ opType: 'Relu', input: ['x'], output: ['z'], attribute: [] });
    expect(verdict(m)).toBe('valid');
  });

  it('float attributes: no NaN anywhere, no Infinity outside Constant and Clip', () => {
    expect(verdict(model({ opType: 'LeakyRelu', attribute: [makeAttr('alpha', NaN, 'float')] }))).toBe('nan-parameter');
    expect(verdict(model({ opType: 'Elu', attribute: [makeAttr('alpha', -Infinity, 'float')] }))).toBe('nan-parameter');
    expect(verdict(model({ opType: 'Clip', attribute: [makeAttr('min', -Infinity, 'float')] }, { opset: 6 }))).toBe('valid');
    expect(verdict(model({ opType: 'BatchNormalization', attribute: [makeAttr('epsilon', -1, 'float')] }))).toBe('attribute');
  });

  it('windows: kernel/stride/dilation/pad ranges and lengths, auto_pad, flags, group against the weights', () => {
    const w = f32('w', [4, 3, 3, 3], new Array(108).fill(0.1));
    const conv = (attrs: ReturnType<typeof makeAttr>[]) => verdict(model({ opType: 'Conv', input: ['x', 'w'], attribute: attrs }, { initializer: [w] }));
    expect(conv([makeAttr('kernel_shape', [3, 3]), makeAttr('pads', [1, 1, 1, 1])])).toBe('valid');
    expect(conv([makeAttr('kernel_shape', [1e6, 1e6])])).toBe('attribute');
    expect(conv([makeAttr('kernel_shape', [5, 5])])).toBe('attribute');
    expect(conv([makeAttr('strides', [0, 1])])).toBe('attribute');
    expect(conv([makeAttr('kernel_shape', [3, 3]), makeAttr('pads', [1, 1])])).toBe('attribute');
    expect(conv([makeAttr('auto_pad', 'SAME_SIDEWAYS')])).toBe('attribute');
    expect(conv([makeAttr('group', 3)])).toBe('attribute');
    expect(verdict(model({ opType: 'MaxPool', attribute: [] }))).toBe('attribute'); // kernel_shape is required
    expect(verdict(model({ opType: 'MaxPool', attribute: [makeAttr('kernel_shape', [2, 2]), makeAttr('ceil_mode', 2)] }))).toBe('attribute');
  });

  it('axes and permutations within any plausible rank', () => {
    expect(verdict(model({ opType: 'Flatten', attribute: [makeAttr('axis', 99)] }))).toBe('attribute');
    expect(verdict(model({ opType: 'Flatten', attribute: [makeAttr('axis', 2)] }))).toBe('valid');
    expect(verdict(model({ opType: 'Transpose', attribute: [makeAttr('perm', [0, 0, 1, 2])] }))).toBe('attribute');
    expect(verdict(model({ opType: 'Transpose', attribute: [makeAttr('perm', [0, 2, 3, 1])] }))).toBe('valid');
  });

  it('quantization scales finite and positive; Resize/Upsample scales and sizes bounded; shapes bounded', () => {
    const q = (s: number) => verdict(model({ opType: 'QuantizeLinear', input: ['x', 's'] }, { initializer: [f32('s', [], [s])] }));
    expect(q(0.1)).toBe('valid');
    for (const bad of [0, -1, Infinity]) expect(q(bad)).toBe('scale');
    const resize = (scales: number[]) => verdict(model({ opType: 'Resize', input: ['x', '', 's'] }, { initializer: [f32('s', [4], scales)] }));
    expect(resize([1, 1, 2, 2])).toBe('valid');
    expect(resize([1, 1, 1e6, 1e6])).toBe('resize');
    expect(resize([1, 1, 0, 2])).toBe('resize');
    expect(verdict(model({ opType: 'Resize', input: ['x', '', '', 'n'] }, { initializer: [i64('n', [1, 3, 1e5, 1e5])] }))).toBe('shape');
    expect(verdict(model({ opType: 'Upsample', attribute: [makeAttr('scales', [1, 1, 0.5, 0.5], 'float')] }, { opset: 7 }))).toBe('resize');
    expect(verdict(model({ opType: 'ConstantOfShape', input: ['n'] }, { initializer: [i64('n', [1e5, 1e5])] }))).toBe('shape');
    expect(verdict(model({ opType: 'Expand', input: ['x', 'n'] }, { initializer: [i64('n', [1e5, 3, 8, 8e3])] }))).toBe('shape');
    expect(verdict(model({ opType: 'Reshape', input: ['x', 'n'] }, { initializer: [i64('n', [1, -1])] }))).toBe('valid');
    expect(verdict(model({ opType: 'Pad', input: ['x', 'p'] }, { initializer: [i64('p', [0, 0, 1e6, 0, 0, 0, 0, 0])] }))).toBe('attribute');
  });

  it('checks a decoded model once', () => {
    const m = model({ opType: 'Relu' });
    validateModel(m);
    m.opsetImport[0].version = 1e9; // not looked at again: the cache is per decoded object
    expect(verdict(m)).toBe('valid');
  });
});
