/**
 * Typed view of the ONNX protobuf messages the SDK reads and writes. Optional fields mirror proto2
 * presence: `undefined` means "absent on the wire", which keeps re-encoding byte-identical.
 * Every message keeps the fields this codec does not model in `unknown` (raw tag+value bytes).
 */
import type { UnknownField } from './proto.js';

/** ONNX `TensorProto.DataType` values. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;
export type DataTypeValue = (typeof DataType)[keyof typeof DataType];

/** ONNX `AttributeProto.AttributeType` values. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

export interface OnnxStringEntry {
  key?: string;
  value?: string;
  unknown?: UnknownField[];
}

export interface OnnxOpsetId {
  domain?: string;
  version?: number;
  unknown?: UnknownField[];
}

export interface OnnxTensor {
  dims: number[];
  dataType?: number;
  name?: string;
  docString?: string;
  /** Little-endian element bytes (the usual storage). May be a view into the decoded file. */
  rawData?: Uint8Array;
  floatData?: Float32Array;
  /** Also holds int8/uint8/int16/uint16/bool/float16 elements, one per entry, per the ONNX spec. */
  int32Data?: Int32Array;
  stringData?: Uint8Array[];
  int64Data?: BigInt64Array;
  doubleData?: Float64Array;
  /** Also holds uint32 elements. */
  uint64Data?: BigUint64Array;
  externalData?: OnnxStringEntry[];
  /** 0 = DEFAULT (inline), 1 = EXTERNAL. */
  dataLocation?: number;
  unknown?: UnknownField[];
}

export interface OnnxDimension {
  dimValue?: number;
  dimParam?: string;
  unknown?: UnknownField[];
}

export interface OnnxTensorType {
  elemType?: number;
  /** Absent shape = unknown rank; present with no dims = scalar. */
  shape?: { dim: OnnxDimension[]; unknown?: UnknownField[] };
  unknown?: UnknownField[];
}

export interface OnnxType {
  tensorType?: OnnxTensorType;
  /** Sequence/map/optional/sparse types and denotation stay here, raw. */
  unknown?: UnknownField[];
}

export interface OnnxValueInfo {
  name?: string;
  type?: OnnxType;
  docString?: string;
  unknown?: UnknownField[];
}

export interface OnnxAttribute {
  name?: string;
  /** AttributeType; required by ONNX since IR v3 but optional on the wire. */
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  g?: OnnxGraph;
  floats: number[];
  ints: number[];
  strings: Uint8Array[];
  tensors: OnnxTensor[];
  graphs: OnnxGraph[];
  docString?: string;
  refAttrName?: string;
  unknown?: UnknownField[];
}

export interface OnnxNode {
  input: string[];
  output: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute: OnnxAttribute[];
  docString?: string;
  unknown?: UnknownField[];
}

export interface OnnxGraph {
  node: OnnxNode[];
  name?: string;
  initializer: OnnxTensor[];
  docString?: string;
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
  valueInfo: OnnxValueInfo[];
  unknown?: UnknownField[];
}

export interface OnnxModel {
  irVersion?: number;
  opsetImport: OnnxOpsetId[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph?: OnnxGraph;
  metadataProps: OnnxStringEntry[];
  unknown?: UnknownField[];
}
