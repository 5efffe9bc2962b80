// onnxruntime's messages as callers see them: real messages of onnxruntime-web 1.30, trimmed and classified.
import { describe, expect, it } from 'vitest';
import { ortSessionErrorCode, trimOrtMessage } from './ort-errors.js';

const OPSET = "Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: /mnt/azure_nvme_temp/_work/1/s/onnxruntime/core/graph/model_load_utils.h:56 void onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::unordered_map<std::string, int> &, const logging::Logger &, bool, const std::string &, int) ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Opset 27 is under development and support for this is limited.";
const IR = "Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: /mnt/azure_nvme_temp/_work/1/s/onnxruntime/core/graph/model.cc:203 onnxruntime::Model::Model(ModelProto &&, const PathString &, const IOnnxRuntimeOpSchemaRegistryList *, const logging::Logger &, const ModelOptions &) Unsupported model IR version: 100, max supported IR version: 13\n";
const SRC = 'failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: /onnxruntime_src/onnxruntime/core/providers/cpu/nn/conv.cc:42 onnxruntime::common::Status onnxruntime::Conv<float>::Compute(onnxruntime::OpKernelContext *) const kernel_shape is not compatible with W shape.';
const SHAPE = "Can't create a session. ERROR_CODE: 6, ERROR_MESSAGE: [ShapeInferenceError] Invalid value(99) for attribute 'axis'";

describe('trimOrtMessage', () => {
  it('drops source locations and the C++ signatures after them, keeps the words', () => {
    expect(trimOrtMessage(OPSET)).toBe("Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Opset 27 is under development and support for this is limited.");
    expect(trimOrtMessage(IR)).toBe("Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: Unsupported model IR version: 100, max supported IR version: 13");
    expect(trimOrtMessage(SRC)).toBe('failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: kernel_shape is not compatible with W shape.');
    expect(trimOrtMessage(SHAPE)).toBe(SHAPE);
    expect(trimOrtMessage('C:\\a\\_work\\1\\s\\onnxruntime\\core\\session\\inference_session.cc:1234 Load model failed')).toBe('Load model failed');
  });
});

describe('ortSessionErrorCode', () => {
  it('INVALID_MODEL for refusals of the model itself, BACKEND_UNAVAILABLE otherwise', () => {
    for (const m of [OPSET, IR, SHAPE, 'ERROR_CODE: 10, ERROR_MESSAGE: This is an invalid model. Error in Node: x', 'ERROR_CODE: 7, ERROR_MESSAGE: Protobuf parsing failed.']) {
      expect(ortSessionErrorCode(trimOrtMessage(m)), m).toBe('INVALID_MODEL');
    }
    expect(ortSessionErrorCode('no available backend found. ERR: [wasm] TypeError: fetch failed')).toBe('BACKEND_UNAVAILABLE');
  });
});
