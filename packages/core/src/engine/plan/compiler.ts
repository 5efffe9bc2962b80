/** Graph compiler state: values by ONNX name, emitted tensors/ops, consumer lookups. Front ends in plan-*.ts. */
import { ResNetEdgeError } from '../../errors.js';
import { FLOAT_OPS, type Attrs } from '../ops/float/index.js';
import { sizeOf } from '../../tensor.js';
import { AttributeType, DataType, type OnnxGraph, type OnnxNode } from '../../onnx/index.js';
import { type Const } from './consts.js';
import type { ActQuant } from './build-conv.js';
import { opOutputs } from './inspect.js';
import type { PlanFloat, PlanOp, PlanTensor } from './types.js';

/** A value flowing through the graph as the compiler sees it. */
export type Val =
  | { k: 'f32'; t: PlanTensor }
  | { k: 'q8'; t: PlanTensor }
  /** A float value defined as DequantizeLinear(q8 tensor): int8 ops consume `t` directly. */
  | { k: 'dq'; t: PlanTensor; q: ActQuant; f32?: PlanTensor }
  | { k: 'const'; c: Const };

/** What follows a value: an optional Relu then a QuantizeLinear, each the sole consumer. */
export interface QTail {
  relu: boolean;
  out: string;
  q: ActQuant;
  srcType: 'uint8' | 'int8';
  nodes: number[];
}

const decoder = new TextDecoder();

export function unsupportedNode(node: OnnxNode, why?: string): never {
  const name = node.name || node.output[0] || '?';
  const op = node.opType ?? '?';
  throw new ResNetEdgeError('UNSUPPORTED_OP', `Node '${name}' (${op}): ${why ?? 'operator not supported by the wasm engine'}`, {
    details: { node: name, op },
  });
}

/** Reads every attribute of a node into plain values. */
export function readAttrs(node: OnnxNode, opset: number): Attrs {
  const out: Attrs = { __opset: opset };
  for (const a of node.attribute) {
    if (!a.name) continue;
    const t = a.type ?? 0;
    if (t === AttributeType.INT) out[a.name] = a.i ?? 0;
    else if (t === AttributeType.FLOAT) out[a.name] = a.f ?? 0;
    else if (t === AttributeType.STRING) out[a.name] = decoder.decode(a.s ?? new Uint8Array());
    else if (t === AttributeType.INTS) out[a.name] = a.ints;
    else if (t === AttributeType.FLOATS) out[a.name] = a.floats;
  }
  return out;
}

export class Compiler {
  readonly tensors: PlanTensor[] = [];
  readonly ops: PlanOp[] = [];
  readonly vals = new Map<string, Val>();
  readonly skip = new Set<number>();
  readonly users = new Map<string, number[]>();
  readonly graphOutputs: Set<string>;
  /** The QuantizeLinear output a q8 tensor last stood for when it was reused under that name (see ort-types.ts). */
  readonly qNames = new Map<number, string>();
  /** Op index that produced each tensor id (for BatchNormalization folding). */
  readonly producer = new Map<number, number>();

  constructor(readonly graph: OnnxGraph, readonly opset: number) {
    graph.node.forEach((n, i) => {
      for (const name of n.input) if (name) (this.users.get(name) ?? this.users.set(name, []).get(name)!).push(i);
    });
    this.graphOutputs = new Set(graph.output.map((o) => o.name ?? ''));
  }

  tensor(name: string, dtype: PlanTensor['dtype'], shape: number[], extra: Partial<PlanTensor> = {}): PlanTensor {
    if (shape.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(shape) > 1 << 28) {
      throw new ResNetEdgeError('INVALID_MODEL', `Tensor '${name}' has an unusable shape [${shape}]`);
    }
    const t: PlanTensor = { id: this.tensors.length, name, dtype, shape, ...extra };
    this.tensors.push(t);
    return t;
  }

  emit(op: PlanOp): void {
    const outs = opOutputs(op);
    for (const o of outs) this.producer.set(o, this.ops.length);
    this.ops.push(op);
  }

  val(name: string, node: OnnxNode): Val {
    const v = this.vals.get(name);
    if (!v) throw new ResNetEdgeError('INVALID_MODEL', `Node '${node.name ?? ''}' reads undefined value '${name}'`);
    return v;
  }

  constOf(name: string | undefined, node: OnnxNode): Const | undefined {
    if (!name) return undefined;
    const v = this.val(name, node);
    return v.k === 'const' ? v.c : undefined;
  }

  /** Float tensor for a value, dequantizing (once) when needed. */
  asF32(name: string, node: OnnxNode): PlanTensor {
    const v = this.val(name, node);
    if (v.k === 'f32') return v.t;
    if (v.k === 'dq') {
      if (!v.f32) {
        v.f32 = this.tensor(`${name}#f32`, 'f32', [...v.t.shape]);
        this.emit({ op: 'dequantize', name: `${name}#dq`, input: v.t.id, output: v.f32.id, scale: v.q.scale, zeroPoint: v.q.zeroPoint });
      }
      return v.f32;
    }
    if (v.k === 'q8' && v.t.scale !== undefined) {
      const t = this.tensor(`${name}#f32`, 'f32', [...v.t.shape]);
      this.emit({ op: 'dequantize', name: `${name}#dq`, input: v.t.id, output: t.id, scale: v.t.scale, zeroPoint: v.t.zeroPoint ?? 0 });
      this.vals.set(name, { k: 'dq', t: v.t, q: { scale: v.t.scale, zeroPoint: v.t.zeroPoint ?? 0 }, f32: t });
      return t;
    }
    return unsupportedNode(node, `input '${name}' is ${v.k === 'q8' ? 'quantized without known parameters' : 'a constant'} here`);
  }

  /** Shape of any value. */
  shapeOf(v: Val): number[] {
    return v.k === 'const' ? v.c.dims : v.t.shape;
  }

  /** The Relu? -> QuantizeLinear chain that solely consumes `name`, if any. */
  followQ(name: string, allowRelu = true): QTail | undefined {
    const single = (n: string): number | undefined => {
      const u = this.users.get(n) ?? [];
      return u.length === 1 && !this.graphOutputs.has(n) ? u[0] : undefined;
    };
    let i = single(name);
    if (i === undefined) return undefined;
    const nodes: number[] = [];
    let node = this.graph.node[i];
    let relu = false;
    if (node.opType === 'Relu' && allowRelu) {
      nodes.push(i);
      relu = true;
      i = single(node.output[0]);
      if (i === undefined) return undefined;
      node = this.graph.node[i];
    }
    if (node.opType !== 'QuantizeLinear') return undefined;
    const s = this.constOf(node.input[1], node);
    const z = this.constOf(node.input[2], node);
    if (!s || s.f32.length !== 1 || (z && z.f32.length !== 1)) return undefined;
    const dt = z ? z.dataType : readAttrs(node, this.opset).output_dtype === DataType.INT8 ? DataType.INT8 : DataType.UINT8;
    if (dt !== DataType.UINT8 && dt !== DataType.INT8) return undefined;
    nodes.push(i);
    const zp = z ? z.f32[0] : 0;
    return {
      relu,
      out: node.output[0],
      q: { scale: s.f32[0], zeroPoint: dt === DataType.UINT8 ? zp - 128 : zp },
      srcType: dt === DataType.UINT8 ? 'uint8' : 'int8',
      nodes,
    };
  }

  /** Defines the QuantizeLinear output of a fused chain as a q8 tensor and marks the chain's nodes done. */
  finishTail(tail: QTail, shape: number[]): PlanTensor {
    const t = this.tensor(tail.out, 'q8', shape, { scale: tail.q.scale, zeroPoint: tail.q.zeroPoint, srcType: tail.srcType });
    this.vals.set(tail.out, { k: 'q8', t });
    for (const n of tail.nodes) this.skip.add(n);
    return t;
  }

  /** Runs a node through the float reference kernels (inputs dequantized, constants folded in). */
  emitFloat(node: OnnxNode): void {
    const impl = FLOAT_OPS[node.opType ?? ''];
    if (!impl || (node.domain && node.domain !== 'ai.onnx')) unsupportedNode(node);
    const attrs = readAttrs(node, this.opset);
    if (node.opType === 'Identity' || node.opType === 'Dropout') {
      // Pure aliases: keep the value as is (constants stay constants, int8 stays int8).
      this.vals.set(node.output[0], this.val(node.input[0], node));
      return;
    }
    const inputs: number[] = [];
    const consts: PlanFloat['consts'] = {};
    const shapeIn: ({ dims: number[]; data?: Float32Array | BigInt64Array } | undefined)[] = [];
    node.input.forEach((name, i) => {
      if (!name) {
        inputs.push(-1);
        shapeIn.push(undefined);
        return;
      }
      const v = this.val(name, node);
      if (v.k === 'const') {
        consts[i] = { data: v.c.i64 ?? v.c.f32, dims: v.c.dims };
        inputs.push(-1);
        shapeIn.push(consts[i]);
      } else {
        const t = this.asF32(name, node);
        inputs.push(t.id);
        shapeIn.push({ dims: t.shape });
      }
    });
    const shapes = impl.shape(attrs, shapeIn, node.name || node.output[0]);
    if (inputs.every((i) => i < 0)) {
      // All inputs constant (Identity on weights, shape arithmetic): fold now.
      const outs = impl.run(attrs, node.input.map((_, i) => consts[i]), shapes);
      shapes.forEach((dims, i) => this.vals.set(node.output[i], { k: 'const', c: { dims, dataType: DataType.FLOAT, f32: outs[i] } }));
      return;
    }
    const outputs = shapes.map((s, i) => {
      const t = this.tensor(node.output[i], 'f32', s);
      this.vals.set(node.output[i], { k: 'f32', t });
      return t.id;
    });
    this.emit({ op: 'float', name: node.name || node.output[0], opType: node.opType!, inputs, outputs, attrs, consts });
  }
}
