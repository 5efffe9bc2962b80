/**
 * Typed objects -> ONNX protobuf. Fields are written in field-number order with preserved unknown fields
 * interleaved, and packing follows onnx.proto (only TensorProto's *_data fields are packed), which is what
 * protobuf serializers produce; so decode->encode of a protobuf-written model is byte-identical.
 */
import { ProtoWriter, UnknownEmitter, WireType as W, invalid } from './proto.js';
import type {
  OnnxAttribute,
  OnnxGraph,
  OnnxModel,
  OnnxNode,
  OnnxOpsetId,
  OnnxStringEntry,
  OnnxTensor,
  OnnxTensorType,
  OnnxType,
  OnnxValueInfo,
} from './types.js';

const MAX_DEPTH = 64;

function int(w: ProtoWriter, field: number, v: number | undefined): void {
  if (v === undefined) return;
  w.tag(field, W.VARINT);
  w.int64(v);
}

function str(w: ProtoWriter, field: number, v: string | undefined): void {
  if (v !== undefined) w.stringField(field, v);
}

function packed(w: ProtoWriter, field: number, n: number, write: (p: ProtoWriter) => void): void {
  if (n === 0) return;
  w.messageField(field, write);
}

function stringEntry(w: ProtoWriter, e: OnnxStringEntry): void {
  const u = new UnknownEmitter(w, e.unknown);
  u.before(1); str(w, 1, e.key);
  u.before(2); str(w, 2, e.value);
  u.rest();
}

function opset(w: ProtoWriter, o: OnnxOpsetId): void {
  const u = new UnknownEmitter(w, o.unknown);
  u.before(1); str(w, 1, o.domain);
  u.before(2); int(w, 2, o.version);
  u.rest();
}

/** Encodes one TensorProto's fields into `w`. @example `w.messageField(5, (p) => encodeTensor(p, t))` */
export function encodeTensor(w: ProtoWriter, t: OnnxTensor): void {
  const u = new UnknownEmitter(w, t.unknown);
  u.before(1);
  for (const d of t.dims) int(w, 1, d);
  u.before(2); int(w, 2, t.dataType);
  u.before(4);
  const fd = t.floatData;
  if (fd) packed(w, 4, fd.length, (p) => { for (const v of fd) p.float32(v); });
  u.before(5);
  const i32 = t.int32Data;
  if (i32) packed(w, 5, i32.length, (p) => { for (const v of i32) p.int64(v); });
  u.before(6);
  for (const s of t.stringData ?? []) w.bytesField(6, s);
  u.before(7);
  const i64 = t.int64Data;
  if (i64) packed(w, 7, i64.length, (p) => { for (const v of i64) p.bigVarint(v); });
  u.before(8); str(w, 8, t.name);
  u.before(9); if (t.rawData !== undefined) w.bytesField(9, t.rawData);
  u.before(10);
  const f64 = t.doubleData;
  if (f64) packed(w, 10, f64.length, (p) => { for (const v of f64) p.float64(v); });
  u.before(11);
  const u64 = t.uint64Data;
  if (u64) packed(w, 11, u64.length, (p) => { for (const v of u64) p.bigVarint(v); });
  u.before(12); str(w, 12, t.docString);
  u.before(13);
  for (const e of t.externalData ?? []) w.messageField(13, (p) => stringEntry(p, e));
  u.before(14); int(w, 14, t.dataLocation);
  u.rest();
}

function tensorType(w: ProtoWriter, t: OnnxTensorType): void {
  const u = new UnknownEmitter(w, t.unknown);
  u.before(1); int(w, 1, t.elemType);
  u.before(2);
  const shape = t.shape;
  if (shape) {
    w.messageField(2, (s) => {
      const us = new UnknownEmitter(s, shape.unknown);
      us.before(1);
      for (const d of shape.dim) {
        s.messageField(1, (p) => {
          const ud = new UnknownEmitter(p, d.unknown);
          ud.before(1); int(p, 1, d.dimValue);
          ud.before(2); str(p, 2, d.dimParam);
          ud.rest();
        });
      }
      us.rest();
    });
  }
  u.rest();
}

function type(w: ProtoWriter, t: OnnxType): void {
  const u = new UnknownEmitter(w, t.unknown);
  u.before(1);
  const tt = t.tensorType;
  if (tt) w.messageField(1, (p) => tensorType(p, tt));
  u.rest();
}

function valueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  const u = new UnknownEmitter(w, v.unknown);
  u.before(1); str(w, 1, v.name);
  u.before(2);
  const t = v.type;
  if (t) w.messageField(2, (p) => type(p, t));
  u.before(3); str(w, 3, v.docString);
  u.rest();
}

function attribute(w: ProtoWriter, a: OnnxAttribute, depth: number): void {
  const u = new UnknownEmitter(w, a.unknown);
  u.before(1); str(w, 1, a.name);
  u.before(2);
  if (a.f !== undefined) { w.tag(2, W.I32); w.float32(a.f); }
  u.before(3); int(w, 3, a.i);
  u.before(4); if (a.s !== undefined) w.bytesField(4, a.s);
  u.before(5);
  const t = a.t;
  if (t) w.messageField(5, (p) => encodeTensor(p, t));
  u.before(6);
  const g = a.g;
  if (g) w.messageField(6, (p) => graph(p, g, depth + 1));
  u.before(7);
  for (const f of a.floats) { w.tag(7, W.I32); w.float32(f); }
  u.before(8);
  for (const i of a.ints) int(w, 8, i);
  u.before(9);
  for (const s of a.strings) w.bytesField(9, s);
  u.before(10);
  for (const x of a.tensors) w.messageField(10, (p) => encodeTensor(p, x));
  u.before(11);
  for (const x of a.graphs) w.messageField(11, (p) => graph(p, x, depth + 1));
  u.before(13); str(w, 13, a.docString);
  u.before(20); int(w, 20, a.type);
  u.before(21); str(w, 21, a.refAttrName);
  u.rest();
}

function node(w: ProtoWriter, n: OnnxNode, depth: number): void {
  const u = new UnknownEmitter(w, n.unknown);
  u.before(1); for (const s of n.input) w.stringField(1, s);
  u.before(2); for (const s of n.output) w.stringField(2, s);
  u.before(3); str(w, 3, n.name);
  u.before(4); str(w, 4, n.opType);
  u.before(5); for (const a of n.attribute) w.messageField(5, (p) => attribute(p, a, depth));
  u.before(6); str(w, 6, n.docString);
  u.before(7); str(w, 7, n.domain);
  u.rest();
}

function graph(w: ProtoWriter, g: OnnxGraph, depth: number): void {
  if (depth > MAX_DEPTH) invalid(`subgraphs nested deeper than ${MAX_DEPTH}`);
  const u = new UnknownEmitter(w, g.unknown);
  u.before(1); for (const n of g.node) w.messageField(1, (p) => node(p, n, depth));
  u.before(2); str(w, 2, g.name);
  u.before(5); for (const t of g.initializer) w.messageField(5, (p) => encodeTensor(p, t));
  u.before(10); str(w, 10, g.docString);
  u.before(11); for (const v of g.input) w.messageField(11, (p) => valueInfo(p, v));
  u.before(12); for (const v of g.output) w.messageField(12, (p) => valueInfo(p, v));
  u.before(13); for (const v of g.valueInfo) w.messageField(13, (p) => valueInfo(p, v));
  u.rest();
}

/** Encodes one GraphProto (e.g. for tests or subgraph surgery). @example `decodeGraph(encodeGraph(g))` */
export function encodeGraph(g: OnnxGraph): Uint8Array {
  const w = new ProtoWriter();
  graph(w, g, 0);
  return w.finish();
}

/**
 * Encodes an {@link OnnxModel} as ONNX protobuf bytes.
 *
 * @example
 * ```ts
 * const m = decodeModel(bytes);
 * m.producerName = 'resnet-edge';
 * await writeFile('out.onnx', encodeModel(m));
 * ```
 */
export function encodeModel(m: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  const u = new UnknownEmitter(w, m.unknown);
  u.before(1); int(w, 1, m.irVersion);
  u.before(2); str(w, 2, m.producerName);
  u.before(3); str(w, 3, m.producerVersion);
  u.before(4); str(w, 4, m.domain);
  u.before(5); int(w, 5, m.modelVersion);
  u.before(6); str(w, 6, m.docString);
  u.before(7);
  const g = m.graph;
  if (g) w.messageField(7, (p) => graph(p, g, 0));
  u.before(8); for (const o of m.opsetImport) w.messageField(8, (p) => opset(p, o));
  u.before(14); for (const e of m.metadataProps) w.messageField(14, (p) => stringEntry(p, e));
  u.rest();
  return w.finish();
}
