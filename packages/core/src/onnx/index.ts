/**
 * Dependency-free ONNX codec: `decodeModel` / `encodeModel` plus tensor and attribute helpers.
 * A decode->encode round trip is loss-free (unknown fields are kept raw) and, for files written by a
 * protobuf serializer, byte-identical.
 */
export { decodeModel, decodeGraph, decodeTensor } from './decode.js';
export { encodeModel, encodeGraph } from './encode.js';
export {
  tensorToFloat32,
  tensorToInt8,
  tensorToUint8,
  tensorToInt32,
  tensorToBigInt64,
  tensorSize,
  makeTensor,
  makeAttr,
  findAttr,
  attrInt,
  attrInts,
  attrFloat,
  attrString,
} from './tensor.js';
export { DataType, AttributeType } from './types.js';
export type {
  DataTypeValue,
  OnnxModel,
  OnnxGraph,
  OnnxNode,
  OnnxAttribute,
  OnnxTensor,
  OnnxValueInfo,
  OnnxType,
  OnnxTensorType,
  OnnxDimension,
  OnnxOpsetId,
  OnnxStringEntry,
} from './types.js';
export type { UnknownField } from './proto.js';
