/**
 * Dependency-free ONNX codec: `decodeModel` / `encodeModel` plus tensor and attribute helpers.
 * A decode->encode round trip is loss-free (unknown fields are kept raw) and, for files written by a
 * protobuf serializer, byte-identical.
 */
export { decodeModel, decodeGraph, decodeTensor } from './onnx-decode.js';
export { encodeModel, encodeGraph } from './onnx-encode.js';
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
} from './onnx-tensor.js';
export { DataType, AttributeType } from './onnx-types.js';
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
} from './onnx-types.js';
export type { UnknownField } from './onnx-proto.js';
