/**
 * Hostile models from the hardening issue (#14): mutations of the shipped models that every backend must refuse at
 * load with INVALID_MODEL (opset 1e9, kernel_shape [1e6, 1e6], input [1e9, 1, 28, 28], Flatten axis=99, Gemm
 * alpha=NaN, bad Resize, ...). Used by test/node/hostile-models.test.ts and the fuzz tier (test/fuzz), which also
 * builds random mutations with the helpers here.
 */
import { DataType, makeAttr, type OnnxModel, type OnnxNode, type OnnxTensor } from '../onnx/index.js';

/** A shipped model the mutation applies to (`models/<id>/<file>`). */
export interface ModelBase {
  id: 'fmnist-resnet20' | 'fmnist-scenes-centernet';
  file: 'model.int8.onnx' | 'model.fp32.onnx';
}

/** One named case. */
export interface HostileModel {
  name: string;
  base: ModelBase;
  /** Changes the decoded model in place. */
  mutate: (m: OnnxModel) => void;
  /**
   * `load`: refused by load() with INVALID_MODEL and this reason (ModelLoadError `details.reason`); `run`: valid
   * parameters, but every run gives non-finite outputs: INFERENCE_FAILED.
   */
  reason: string;
  stage: 'load' | 'run';
  /** What it did before validation. */
  note: string;
}

/** The first node of a type (throws when the model has none: the case no longer tests anything). */
export function nodeOf(m: OnnxModel, opType: string): OnnxNode {
  const n = m.graph!.node.find((x) => x.opType === opType);
  if (!n) throw new Error(`the model has no ${opType} node`);
  return n;
}

/** Sets (or adds) an attribute. */
export function setAttribute(node: OnnxNode, name: string, value: number | number[] | string, kind: 'int' | 'float' = 'int'): void {
  const a = makeAttr(name, value, kind);
  const i = node.attribute.findIndex((x) => x.name === name);
  if (i >= 0) node.attribute[i] = a;
  else node.attribute.push(a);
}

/** The initializer (or Constant node tensor) feeding a node input, seen through one DequantizeLinear (QDQ weights). */
export function initializerOf(m: OnnxModel, name: string): OnnxTensor {
  const g = m.graph!;
  const direct = g.initializer.find((t) => t.name === name) ?? g.node.find((n) => n.opType === 'Constant' && n.output[0] === name)?.attribute[0]?.t;
  if (direct) return direct;
  const dq = g.node.find((n) => n.output[0] === name && n.opType === 'DequantizeLinear');
  const t = dq && g.initializer.find((x) => x.name === dq.input[0]);
  if (!t) throw new Error(`no initializer behind '${name}'`);
  return t;
}

/** Overwrites a float initializer's values (`f` gets the old value and the index). */
export function setFloats(t: OnnxTensor, f: (v: number, i: number) => number): void {
  if (t.dataType !== DataType.FLOAT || !t.rawData) throw new Error(`initializer ${t.name} is not float raw_data`);
  const old = new Float32Array(t.rawData.slice().buffer);
  const next = Float32Array.from(old, f);
  t.rawData = new Uint8Array(next.buffer);
}

/** What scales the classifier head's weights: their DequantizeLinear scale (int8) or the weights themselves (fp32). */
function overflowTarget(m: OnnxModel): OnnxTensor {
  const g = m.graph!;
  const w = nodeOf(m, 'Gemm').input[1];
  const dq = g.node.find((n) => n.output[0] === w && n.opType === 'DequantizeLinear');
  return initializerOf(m, dq ? dq.input[1] : w);
}

const int8 = (id: ModelBase['id'] = 'fmnist-resnet20'): ModelBase => ({ id, file: 'model.int8.onnx' });
const fp32 = (id: ModelBase['id'] = 'fmnist-resnet20'): ModelBase => ({ id, file: 'model.fp32.onnx' });

/**
 * Every named case (classifier mutations on both the int8 and fp32 files where the op exists in both).
 *
 * @example
 * ```ts
 * for (const c of hostileModels()) { const m = decodeModel(bytes(c.base)); c.mutate(m); await expectInvalid(encodeModel(m)); }
 * ```
 */
export function hostileModels(): HostileModel[] {
  const both = (name: string, mutate: HostileModel['mutate'], reason: string, note: string): HostileModel[] => [
    { name: `${name} (int8)`, base: int8(), mutate, reason, note, stage: reason === 'run' ? 'run' : 'load' },
    { name: `${name} (fp32)`, base: fp32(), mutate, reason, note, stage: reason === 'run' ? 'run' : 'load' },
  ];
  return [
    ...both('opset 1e9', (m) => void (m.opsetImport[0].version = 1e9), 'opset', 'own engine ran it; onnxruntime refused it with its build paths in the message'),
    ...both('IR version 100', (m) => void (m.irVersion = 100), 'ir_version', 'onnxruntime refuses it'),
    ...both('Conv kernel_shape [1e6, 1e6]', (m) => setAttribute(nodeOf(m, 'Conv'), 'kernel_shape', [1e6, 1e6]), 'attribute', 'own engine ran int8 ignoring it; onnxruntime failed at the first run'),
    ...both('Conv kernel_shape [5, 5] against 3x3 weights', (m) => setAttribute(nodeOf(m, 'Conv'), 'kernel_shape', [5, 5]), 'attribute', 'own engine ran int8 ignoring it'),
    ...both('Conv group 3 (does not divide 16 channels)', (m) => setAttribute(nodeOf(m, 'Conv'), 'group', 3), 'attribute', 'refused later, as UNSUPPORTED_OP'),
    ...both('input [1e9, 1, 28, 28]', (m) => void (m.graph!.input[0].type!.tensorType!.shape!.dim[0] = { dimValue: 1e9 }), 'declared-shape', 'own engine ran it at the manifest shape; onnxruntime failed at the first run'),
    ...both('input [1, 1, 32, 32] against the manifest 28x28', (m) => void (m.graph!.input[0].type!.tensorType!.shape!.dim[2] = { dimValue: 32 }), 'manifest', 'onnxruntime failed at the first run'),
    ...both('output [N, 11] against 10 labels', (m) => void (m.graph!.output[0].type!.tensorType!.shape!.dim[1] = { dimValue: 11 }), 'manifest', 'declared but not checked'),
    ...both('Flatten axis=99', (m) => setAttribute(nodeOf(m, 'Flatten'), 'axis', 99), 'attribute', 'own engine returned 640 scores; onnxruntime refused it'),
    ...both('Flatten axis=5 on a rank-4 input', (m) => setAttribute(nodeOf(m, 'Flatten'), 'axis', 5), 'attribute', 'rank-dependent: onnxruntime refuses it in shape inference'),
    ...both('Gemm alpha=NaN', (m) => setAttribute(nodeOf(m, 'Gemm'), 'alpha', NaN, 'float'), 'nan-parameter', 'both engines returned score: null'),
    ...both('Gemm beta=Infinity', (m) => setAttribute(nodeOf(m, 'Gemm'), 'beta', Infinity, 'float'), 'nan-parameter', 'scores null'),
    ...both('Gemm transB=7', (m) => setAttribute(nodeOf(m, 'Gemm'), 'transB', 7), 'attribute', 'read as true'),
    ...both('node reading an undefined value', (m) => void (nodeOf(m, 'Gemm').input[0] = 'nobody-writes-this'), 'undefined-input', 'refused later'),
    { name: 'Conv weights with NaN (fp32)', base: fp32(), mutate: (m) => setFloats(initializerOf(m, nodeOf(m, 'Conv').input[1]), (v, i) => (i === 3 ? NaN : v)), reason: 'nan-parameter', note: 'NaN logits, score: null', stage: 'load' },
    ...both('Gemm weights scaled to 1e38 (overflow: finite parameters, infinite logits)', (m) => setFloats(overflowTarget(m), (v) => v * 1e38), 'run', 'score: null'),
    { name: 'QuantizeLinear scale 0 (int8)', base: int8(), mutate: (m) => setFloats(initializerOf(m, nodeOf(m, 'QuantizeLinear').input[1]), () => 0), reason: 'scale', note: 'division by zero', stage: 'load' },
    { name: 'QuantizeLinear scale -1 (int8)', base: int8(), mutate: (m) => setFloats(initializerOf(m, nodeOf(m, 'QuantizeLinear').input[1]), () => -1), reason: 'scale', note: 'meaningless', stage: 'load' },
    { name: 'DequantizeLinear scale NaN (int8)', base: int8(), mutate: (m) => setFloats(initializerOf(m, nodeOf(m, 'DequantizeLinear').input[1]), () => NaN), reason: 'nan-parameter', note: 'NaN everywhere after it', stage: 'load' },
    ...(['model.int8.onnx', 'model.fp32.onnx'] as const).flatMap((file): HostileModel[] => {
      const base: ModelBase = { id: 'fmnist-scenes-centernet', file };
      const scales = (m: OnnxModel) => initializerOf(m, nodeOf(m, 'Resize').input[2]);
      const tag = file === 'model.int8.onnx' ? 'int8' : 'fp32';
      return [
        { name: `Resize scales NaN (detector, ${tag})`, base, mutate: (m) => setFloats(scales(m), () => NaN), reason: 'nan-parameter', note: 'NaN boxes', stage: 'load' },
        { name: `Resize scales [1, 1, 1e6, 1e6] (detector, ${tag})`, base, mutate: (m) => setFloats(scales(m), (v, i) => (i >= 2 ? 1e6 : v)), reason: 'resize', note: 'a 10^12-pixel feature map', stage: 'load' },
        { name: `Resize scales 0 (detector, ${tag})`, base, mutate: (m) => setFloats(scales(m), () => 0), reason: 'resize', note: 'empty output', stage: 'load' },
        { name: `Resize mode 'bogus' (detector, ${tag})`, base, mutate: (m) => setAttribute(nodeOf(m, 'Resize'), 'mode', 'bogus'), reason: 'attribute', note: 'unknown mode', stage: 'load' },
      ];
    }),
  ];
}

