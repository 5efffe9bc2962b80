/**
 * The execution plan: a backend-neutral, fully resolved form of an ONNX graph (see plan.ts).
 *
 * Conventions every backend relies on:
 * - Quantized activations (`q8`) are int8. uint8 graph tensors are shifted by -128 (value and zero point), which
 *   is exact and lets one set of kernels serve both; `srcType` says how to convert at the graph boundary.
 * - Shapes are logical NCHW (rank 4) or [N, C] (rank 2); the physical layout is the backend's choice (the wasm
 *   backend uses NHWC with channels padded to 16).
 * - Fused int8 ops carry everything needed to run them: packed int8 weights, int32 bias, the per-channel f32
 *   requantization multiplier (x_scale * w_scale / y_scale, computed in f32 as onnxruntime does) and clamp bounds
 *   (a fused ReLU raises `lo` to the output zero point).
 * - `float` ops are ONNX nodes (fp32 parts of the graph) run by reference kernels.
 */

export type PlanDType = 'f32' | 'q8';

export interface PlanTensor {
  id: number;
  /** ONNX value name (or a synthetic `name#n` for tensors the compiler introduced). */
  name: string;
  dtype: PlanDType;
  /** Logical shape (NCHW / [N, C] / any rank for f32). */
  shape: number[];
  /** For q8 graph inputs/outputs: the ONNX element type to convert from/to. */
  srcType?: 'uint8' | 'int8';
  /** For q8 tensors: scale and (int8-domain) zero point when known. */
  scale?: number;
  zeroPoint?: number;
  /**
   * For rank-4 f32 tensors: element order [N][H][W][C] instead of NCHW. Only between ops that read it so
   * (a `convint` output read only by `dynquant` ops and as `convint` residuals; see plan/dynamic-quant.ts), never
   * for graph outputs.
   */
  layout?: 'nhwc';
  /**
   * For those channel-last f32 tensors: a buffer shared by tensors whose lifetimes do not overlap (assigned with the
   * layout), so kernels keep them in wasm memory and never allocate per run.
   */
  slot?: number;
}

/** Conv / Gemm / MatMul with bias, optional ReLU and requantization, int8 in and out. */
export interface PlanConv {
  op: 'conv';
  name: string;
  input: number;
  output: number;
  /** Input channels, output channels, groups. */
  C: number;
  OC: number;
  group: number;
  kernel: [number, number];
  strides: [number, number];
  /** [top, left, bottom, right]. */
  pads: [number, number, number, number];
  dilations: [number, number];
  /** int8 weights, layout [OC][KH][KW][C / group] (OHWI), weight zero point already subtracted. */
  weights: Int8Array;
  /**
   * Set instead of `weights` (which is then empty) when w - w_zero_point leaves the int8 range (uint8 weights with a
   * zero point, e.g. old QOperator models): same layout, int16. Backends may run such ops on a slower path.
   */
  weights16?: Int16Array;
  /** int32 bias per output channel (quantized with x_scale * w_scale), zeros when the node has none. */
  bias: Int32Array;
  /** Per-output-channel f32 multiplier x_scale * w_scale[oc] / y_scale (x_scale * w_scale[oc] when outputF32). */
  multiplier: Float32Array;
  /**
   * Float output (Gemm/MatMul whose result is not re-quantized, e.g. the classifier head): y = f32(acc) * multiplier,
   * like onnxruntime's QGemm with float output. Only for [N, OC] outputs; zero point and clamp are unused.
   */
  outputF32?: boolean;
  inZeroPoint: number;
  outZeroPoint: number;
  /** Output clamp in the int8 domain (ReLU fused => lo = max(-128, outZeroPoint)). */
  lo: number;
  hi: number;
}

/**
 * int8 Add with optional ReLU, as onnxruntime computes it on wasm (MLAS's scalar QLinearAdd, or a float Add
 * followed by QuantizeLinear): v = f32(f32(sa (a - za)) + f32(sb (b - zb))) / sc, clamped to [lo - zc, hi - zc];
 * c = nearest(f32(v + zr)) + zc - zr. QLinearAdd adds its zero point before rounding, in the graph's own integer
 * type (`zr` = that zero point: +128 for uint8); a float Add then QuantizeLinear rounds first (`zr` = 0).
 */
export interface PlanAdd {
  op: 'add';
  name: string;
  a: number;
  b: number;
  output: number;
  /** Input and output scales (f32). */
  sa: number;
  sb: number;
  sc: number;
  za: number;
  zb: number;
  zc: number;
  zr: number;
  lo: number;
  hi: number;
}

export interface PlanPool {
  op: 'maxpool' | 'avgpool';
  name: string;
  input: number;
  output: number;
  kernel: [number, number];
  strides: [number, number];
  pads: [number, number, number, number];
  dilations: [number, number];
  countIncludePad: boolean;
  /** avgpool only: input/output zero points and sx / sy. */
  inZeroPoint: number;
  outZeroPoint: number;
  scale: number;
}

/** GlobalAveragePool on int8: y = sat(nearest(f32(sum(x) - zx HW) * sx / (sy HW)) + zy). */
export interface PlanGlobalAvgPool {
  op: 'gap';
  name: string;
  input: number;
  output: number;
  inZeroPoint: number;
  outZeroPoint: number;
  /** sx / (sy * H * W) in f32. */
  multiplier: number;
}

/** f32 -> q8 (QuantizeLinear: x / scale, round half to even, + zero point, saturate). */
export interface PlanQuantize {
  op: 'quantize';
  name: string;
  input: number;
  output: number;
  scale: number;
  zeroPoint: number;
}

/** q8 -> f32 (DequantizeLinear: (x - zero point) * scale). */
export interface PlanDequantize {
  op: 'dequantize';
  name: string;
  input: number;
  output: number;
  scale: number;
  zeroPoint: number;
}

/** Shape change without data change (Flatten, Reshape, Squeeze...): logical NCHW order is kept. */
export interface PlanReshape {
  op: 'reshape';
  name: string;
  input: number;
  output: number;
}

/** Channel concat of q8 tensors sharing quantization parameters. */
export interface PlanConcat {
  op: 'concat';
  name: string;
  inputs: number[];
  output: number;
}

/**
 * Strided slice of a q8 (or f32) tensor in logical NCHW order: out[i] = in[start + i * step] per axis (steps may be
 * negative). Quantization passes through unchanged.
 */
export interface PlanSlice {
  op: 'slice';
  name: string;
  input: number;
  output: number;
  starts: number[];
  steps: number[];
}

/** Constant padding of a q8 tensor in logical NCHW order with `value` (int8 domain: a 0.0 pad is the zero point). */
export interface PlanPad {
  op: 'pad';
  name: string;
  input: number;
  output: number;
  /** Per-axis padding before and after (non-negative). */
  begin: number[];
  end: number[];
  value: number;
}

/**
 * q8 -> q8 with new quantization parameters (DequantizeLinear then QuantizeLinear, in f32 as onnxruntime does):
 * `table[q + 128]` is the output for input q.
 */
export interface PlanRequant {
  op: 'requant';
  name: string;
  input: number;
  output: number;
  table: Int8Array;
}

/**
 * DynamicQuantizeLinear (uint8): per run, min/max of the f32 input (extended to include 0), scale = (max - min) / 255,
 * zero point = nearest-even(clamp(0 - min / scale, 0, 255)), all in f32 as onnxruntime; then QuantizeLinear into the
 * q8 output. The scale and the (uint8) zero point are written to f32 tensors of one element for later ops.
 */
export interface PlanDynamicQuantize {
  op: 'dynquant';
  name: string;
  input: number;
  output: number;
  scale: number;
  zeroPoint: number;
}

/** A constant, or an f32 tensor computed at run time (one value, or one per output channel). */
export type RunValue = { values: Float32Array } | { tensor: number };

/**
 * ConvInteger / MatMulInteger with the float epilogue onnxruntime's dynamic quantization puts after them
 * (Cast -> Mul by x_scale * w_scale -> Add bias -> [Add residual] -> Relu): y = relu(f32(f32(acc) * mul[oc]) + bias[oc]) with
 * acc = sum (x - zx)(w - zw) exact in int32. f32 output; the input zero point usually comes from a
 * {@link PlanDynamicQuantize}. Without the epilogue, mul is 1 and y is the int32 accumulator as f32.
 */
export interface PlanConvInteger {
  op: 'convint';
  name: string;
  input: number;
  output: number;
  C: number;
  OC: number;
  group: number;
  kernel: [number, number];
  strides: [number, number];
  pads: [number, number, number, number];
  dilations: [number, number];
  /** w - w_zero_point, layout [OC][KH][KW][C / group] (OHWI), within [-255, 255]. */
  weights: Int16Array;
  /** The input's zero point in its graph type (uint8: 0..255; int8: -128..127). */
  xZeroPoint: RunValue;
  /** uint8 inputs are stored shifted by -128 (the plan's int8 domain). */
  xUnsigned: boolean;
  mul?: RunValue;
  bias?: Float32Array;
  /** An f32 tensor of the output's shape added after the bias (a residual Add), before the ReLU. */
  residual?: number;
  relu: boolean;
}

/**
 * A convolution onnxruntime runs in float inside an int8 graph (it does not fuse int8-activation QDQ convs outside
 * ARM): DequantizeLinear -> fp32 Conv (MLAS summation order, ops/shared/mlas-conv.ts) -> [Relu] -> QuantizeLinear,
 * as one int8-in, int8-out op so the graph stays on the engine.
 */
export interface PlanConvFloat {
  op: 'fconv';
  name: string;
  input: number;
  output: number;
  /** Input and output quantization (int8 domain). */
  x: { scale: number; zeroPoint: number };
  y: { scale: number; zeroPoint: number };
  /** Output clamp (a ReLU raises lo to the output zero point). */
  lo: number;
  hi: number;
  C: number;
  OC: number;
  group: number;
  kernel: [number, number];
  strides: [number, number];
  pads: [number, number, number, number];
  dilations: [number, number];
  /** Dequantized weights, OIHW f32. */
  weights: Float32Array;
  /** Dequantized bias (f32(f32(b - zb) * sb)). */
  bias?: Float32Array;
}

/** A constant-weight-free ONNX node run by the float reference kernels. */
export interface PlanFloat {
  op: 'float';
  name: string;
  opType: string;
  inputs: number[];
  outputs: number[];
  /** Attributes, already read from the node (ints, floats, strings, int lists). */
  attrs: Record<string, number | string | number[]>;
  /** Constant inputs by input index (weights folded at load, e.g. BatchNormalization into Conv). */
  consts: Record<number, { data: Float32Array | BigInt64Array; dims: number[] }>;
}

export type PlanOp =
  | PlanConv
  | PlanAdd
  | PlanPool
  | PlanGlobalAvgPool
  | PlanQuantize
  | PlanDequantize
  | PlanReshape
  | PlanConcat
  | PlanSlice
  | PlanPad
  | PlanRequant
  | PlanDynamicQuantize
  | PlanConvInteger
  | PlanConvFloat
  | PlanFloat;

export interface Plan {
  tensors: PlanTensor[];
  ops: PlanOp[];
  inputs: { name: string; tensor: number }[];
  outputs: { name: string; tensor: number }[];
  /** Graph format detected: QDQ, QOperator, dynamic quantization (DynamicQuantizeLinear + ConvInteger/MatMulInteger) or plain fp32. */
  format: 'qdq' | 'qoperator' | 'dynamic' | 'fp32';
  /** For each tensor, index of the last op that reads it (graph outputs: ops.length). Used for buffer reuse. */
  lastUse: number[];
}
