/**
 * onnxruntime's error messages as callers see them: without the build machine's source paths and C++ signatures
 * (`/mnt/.../onnxruntime/core/graph/model_load_utils.h:56 void onnxruntime::...(...)`), and classified, so a model
 * that onnxruntime refuses for what it is (bad opset, failed shape inference, broken graph) is INVALID_MODEL as on
 * the own engines.
 */
import type { ErrorCode } from '../../errors.js';

/** `<path>.<ext>:<line>` of a source file of onnxruntime's build (POSIX or Windows). */
const SOURCE_LOCATION = /(?:[A-Za-z]:)?(?:[\\/][^\s\\/:]+)+\.(?:h|hpp|hh|cc|cpp|cxx|c|cu|inl|mm):\d+\s*/g;
/** A C++ signature right after a source location: `void onnxruntime::Foo::Bar(` (its argument list is skipped). */
const SIGNATURE = /^[\w:<>,*&~ ]*::~?\w+\(/;

/**
 * The message with source locations and the C++ signatures that follow them removed.
 *
 * @example
 * ```ts
 * trimOrtMessage('ERROR_MESSAGE: /src/onnxruntime/core/graph/model.cc:203 onnxruntime::Model::Model(ModelProto &&) Unsupported model IR version: 100');
 * // 'ERROR_MESSAGE: Unsupported model IR version: 100'
 * ```
 */
export function trimOrtMessage(message: string): string {
  let out = '';
  let at = 0;
  for (const m of message.matchAll(SOURCE_LOCATION)) {
    if (m.index < at) continue;
    out += message.slice(at, m.index);
    at = m.index + m[0].length;
    const sig = SIGNATURE.exec(message.slice(at));
    if (sig) {
      // Skip to the parenthesis closing the argument list (argument types may hold parentheses), then " const".
      let depth = 0, i = at + sig[0].length - 1;
      for (; i < message.length; i++) {
        if (message[i] === '(') depth++;
        else if (message[i] === ')' && --depth === 0) break;
      }
      at = i + 1;
      if (message.startsWith(' const', at)) at += 6;
      while (message[at] === ' ') at++;
    }
  }
  return (out + message.slice(at)).replace(/\s+$/, '');
}

/** Refusals that are about the model itself (onnxruntime status codes 7 INVALID_PROTOBUF and 10 INVALID_GRAPH too). */
const MODEL_FAULT = /ShapeInferenceError|TypeInferenceError|INVALID_GRAPH|INVALID_PROTOBUF|ValidateOpset|under development|IR version|protobuf|parse|invalid model|load model|ERROR_CODE: (?:7|10)\b/i;

/**
 * The error code for onnxruntime's refusal to create a session: INVALID_MODEL when the model is at fault,
 * BACKEND_UNAVAILABLE otherwise (so `auto` may still try another backend).
 *
 * @example
 * ```ts
 * ortSessionErrorCode("[ShapeInferenceError] Invalid value(99) for attribute 'axis'"); // 'INVALID_MODEL'
 * ```
 */
export function ortSessionErrorCode(message: string): ErrorCode {
  return MODEL_FAULT.test(message) ? 'INVALID_MODEL' : 'BACKEND_UNAVAILABLE';
}
