/** ONNX protobuf -> typed objects. Bounds-checked; see onnx-proto.ts. */
import { ProtoReader, WireType as W, expectWire, invalid, type UnknownField } from './proto.js';
import type {
  OnnxAttribute,
  OnnxDimension,
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

/** Subgraphs (If/Loop bodies) may nest; deeper than this is treated as hostile input. */
const MAX_DEPTH = 64;

type FieldFn<T> = (r: ProtoReader, msg: T, field: number, wire: number) => boolean;

/** Runs `onField` for each field of the message in `bytes`; unhandled fields are kept raw. */
function parse<T extends { unknown?: UnknownField[] }>(bytes: Uint8Array, msg: T, onField: FieldFn<T>): T {
  const r = new ProtoReader(bytes);
  while (!r.done) {
    const start = r.pos;
    const [field, wire] = r.tag();
    if (!onField(r, msg, field, wire)) (msg.unknown ??= []).push({ field, bytes: r.skip(wire, start) });
  }
  return msg;
}

function sub(r: ProtoReader, wire: number, name: string): Uint8Array {
  expectWire(wire, W.LEN, name);
  return r.bytes();
}

function str(r: ProtoReader, wire: number, name: string): string {
  expectWire(wire, W.LEN, name);
  return r.string();
}

function varint(r: ProtoReader, wire: number, name: string): number {
  expectWire(wire, W.VARINT, name);
  return r.int64();
}

function decodeStringEntry(b: Uint8Array): OnnxStringEntry {
  return parse<OnnxStringEntry>(b, {}, (r, m, f, w) => {
    if (f === 1) m.key = str(r, w, 'key');
    else if (f === 2) m.value = str(r, w, 'value');
    else return false;
    return true;
  });
}

function decodeOpset(b: Uint8Array): OnnxOpsetId {
  return parse<OnnxOpsetId>(b, {}, (r, m, f, w) => {
    if (f === 1) m.domain = str(r, w, 'domain');
    else if (f === 2) m.version = varint(r, w, 'version');
    else return false;
    return true;
  });
}

/** Decodes one TensorProto. @example `const t = decodeTensor(bytes); t.dims` */
export function decodeTensor(b: Uint8Array): OnnxTensor {
  const floats: number[] = [];
  const int32s: number[] = [];
  const int64s: bigint[] = [];
  const doubles: number[] = [];
  const uint64s: bigint[] = [];
  const seen = new Set<number>();
  const t = parse<OnnxTensor>(b, { dims: [] }, (r, m, f, w) => {
    seen.add(f);
    switch (f) {
      case 1: r.repeated(w, W.VARINT, m.dims, (x) => x.int64()); break;
      case 2: m.dataType = varint(r, w, 'data_type'); break;
      case 4: r.repeated(w, W.I32, floats, (x) => x.float32()); break;
      case 5: r.repeated(w, W.VARINT, int32s, (x) => x.int32()); break;
      case 6: (m.stringData ??= []).push(sub(r, w, 'string_data')); break;
      case 7: r.repeated(w, W.VARINT, int64s, (x) => x.bigInt64()); break;
      case 8: m.name = str(r, w, 'name'); break;
      case 9: m.rawData = sub(r, w, 'raw_data'); break;
      case 10: r.repeated(w, W.I64, doubles, (x) => x.float64()); break;
      case 11: r.repeated(w, W.VARINT, uint64s, (x) => x.bigUint64()); break;
      case 12: m.docString = str(r, w, 'doc_string'); break;
      case 13: (m.externalData ??= []).push(decodeStringEntry(sub(r, w, 'external_data'))); break;
      case 14: m.dataLocation = varint(r, w, 'data_location'); break;
      default: seen.delete(f); return false;
    }
    return true;
  });
  if (seen.has(4)) t.floatData = Float32Array.from(floats);
  if (seen.has(5)) t.int32Data = Int32Array.from(int32s);
  if (seen.has(7)) t.int64Data = BigInt64Array.from(int64s);
  if (seen.has(10)) t.doubleData = Float64Array.from(doubles);
  if (seen.has(11)) t.uint64Data = BigUint64Array.from(uint64s);
  return t;
}

function decodeDim(b: Uint8Array): OnnxDimension {
  return parse<OnnxDimension>(b, {}, (r, m, f, w) => {
    if (f === 1) m.dimValue = varint(r, w, 'dim_value');
    else if (f === 2) m.dimParam = str(r, w, 'dim_param');
    else return false;
    return true;
  });
}

function decodeTensorType(b: Uint8Array): OnnxTensorType {
  return parse<OnnxTensorType>(b, {}, (r, m, f, w) => {
    if (f === 1) m.elemType = varint(r, w, 'elem_type');
    else if (f === 2) {
      m.shape = parse<{ dim: OnnxDimension[]; unknown?: UnknownField[] }>(sub(r, w, 'shape'), { dim: [] }, (r2, s, f2, w2) => {
        if (f2 !== 1) return false;
        s.dim.push(decodeDim(sub(r2, w2, 'dim')));
        return true;
      });
    } else return false;
    return true;
  });
}

function decodeType(b: Uint8Array): OnnxType {
  return parse<OnnxType>(b, {}, (r, m, f, w) => {
    if (f !== 1) return false;
    m.tensorType = decodeTensorType(sub(r, w, 'tensor_type'));
    return true;
  });
}

function decodeValueInfo(b: Uint8Array): OnnxValueInfo {
  return parse<OnnxValueInfo>(b, {}, (r, m, f, w) => {
    if (f === 1) m.name = str(r, w, 'name');
    else if (f === 2) m.type = decodeType(sub(r, w, 'type'));
    else if (f === 3) m.docString = str(r, w, 'doc_string');
    else return false;
    return true;
  });
}

function decodeAttribute(b: Uint8Array, depth: number): OnnxAttribute {
  const init: OnnxAttribute = { floats: [], ints: [], strings: [], tensors: [], graphs: [] };
  return parse<OnnxAttribute>(b, init, (r, m, f, w) => {
    switch (f) {
      case 1: m.name = str(r, w, 'name'); break;
      case 2: expectWire(w, W.I32, 'f'); m.f = r.float32(); break;
      case 3: m.i = varint(r, w, 'i'); break;
      case 4: m.s = sub(r, w, 's'); break;
      case 5: m.t = decodeTensor(sub(r, w, 't')); break;
      case 6: m.g = decodeGraph(sub(r, w, 'g'), depth + 1); break;
      case 7: r.repeated(w, W.I32, m.floats, (x) => x.float32()); break;
      case 8: r.repeated(w, W.VARINT, m.ints, (x) => x.int64()); break;
      case 9: m.strings.push(sub(r, w, 'strings')); break;
      case 10: m.tensors.push(decodeTensor(sub(r, w, 'tensors'))); break;
      case 11: m.graphs.push(decodeGraph(sub(r, w, 'graphs'), depth + 1)); break;
      case 13: m.docString = str(r, w, 'doc_string'); break;
      case 20: m.type = varint(r, w, 'type'); break;
      case 21: m.refAttrName = str(r, w, 'ref_attr_name'); break;
      default: return false;
    }
    return true;
  });
}

function decodeNode(b: Uint8Array, depth: number): OnnxNode {
  const init: OnnxNode = { input: [], output: [], attribute: [] };
  return parse<OnnxNode>(b, init, (r, m, f, w) => {
    switch (f) {
      case 1: m.input.push(str(r, w, 'input')); break;
      case 2: m.output.push(str(r, w, 'output')); break;
      case 3: m.name = str(r, w, 'name'); break;
      case 4: m.opType = str(r, w, 'op_type'); break;
      case 5: m.attribute.push(decodeAttribute(sub(r, w, 'attribute'), depth)); break;
      case 6: m.docString = str(r, w, 'doc_string'); break;
      case 7: m.domain = str(r, w, 'domain'); break;
      default: return false;
    }
    return true;
  });
}

/** Decodes one GraphProto (e.g. a subgraph attribute's bytes). @example `decodeGraph(bytes).node.length` */
export function decodeGraph(b: Uint8Array, depth = 0): OnnxGraph {
  if (depth > MAX_DEPTH) invalid(`subgraphs nested deeper than ${MAX_DEPTH}`);
  const init: OnnxGraph = { node: [], initializer: [], input: [], output: [], valueInfo: [] };
  return parse<OnnxGraph>(b, init, (r, m, f, w) => {
    switch (f) {
      case 1: m.node.push(decodeNode(sub(r, w, 'node'), depth)); break;
      case 2: m.name = str(r, w, 'name'); break;
      case 5: m.initializer.push(decodeTensor(sub(r, w, 'initializer'))); break;
      case 10: m.docString = str(r, w, 'doc_string'); break;
      case 11: m.input.push(decodeValueInfo(sub(r, w, 'input'))); break;
      case 12: m.output.push(decodeValueInfo(sub(r, w, 'output'))); break;
      case 13: m.valueInfo.push(decodeValueInfo(sub(r, w, 'value_info'))); break;
      default: return false;
    }
    return true;
  });
}

/**
 * Decodes an ONNX `ModelProto`. Byte blobs (`raw_data`) are views into `bytes`, not copies.
 *
 * @throws ModelLoadError `INVALID_MODEL` on truncated or malformed bytes, or when there is no graph.
 * @example
 * ```ts
 * const model = decodeModel(new Uint8Array(await readFile('resnet18.onnx')));
 * console.log(model.graph!.node.length, model.opsetImport);
 * ```
 */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  if (!(bytes instanceof Uint8Array)) invalid('expected a Uint8Array');
  if (bytes.length === 0) invalid('empty input');
  const m = parse<OnnxModel>(bytes, { opsetImport: [], metadataProps: [] }, (r, msg, f, w) => {
    switch (f) {
      case 1: msg.irVersion = varint(r, w, 'ir_version'); break;
      case 2: msg.producerName = str(r, w, 'producer_name'); break;
      case 3: msg.producerVersion = str(r, w, 'producer_version'); break;
      case 4: msg.domain = str(r, w, 'domain'); break;
      case 5: msg.modelVersion = varint(r, w, 'model_version'); break;
      case 6: msg.docString = str(r, w, 'doc_string'); break;
      case 7: msg.graph = decodeGraph(sub(r, w, 'graph')); break;
      case 8: msg.opsetImport.push(decodeOpset(sub(r, w, 'opset_import'))); break;
      case 14: msg.metadataProps.push(decodeStringEntry(sub(r, w, 'metadata_props'))); break;
      default: return false;
    }
    return true;
  });
  if (!m.graph) invalid('no graph (ModelProto field 7)');
  return m;
}
