/** `@resnet-edge/core/quantize`: static int8 QDQ quantization of fp32 ONNX models (its Node CLI command is ../cli/quantize.ts). */
export { quantize, type QuantizeOptions, type QuantizeResult } from './quantize.js';
export { formatSummary } from './summary.js';
export type { LayerRange } from './qdq.js';
export type { CalibrationMethod, RealRange } from './histogram.js';
export type { CalibrationData, CalibrationItem } from './calibrate.js';
export {
  roundHalfEven,
  uint8Params,
  int8SymmetricScale,
  quantizeValue,
  dequantizeValue,
  quantizeWeightsPerChannel,
  quantizeBias,
  type QuantParams,
} from './math.js';
export { readIdx, idxToCalibration } from './idx.js';
